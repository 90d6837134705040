// The OpenAI chat-completions wire format: request bodies through json::Writer, answers through
// the typed simdjson decoder (wire_types.hpp), error bodies through json::parse.

#include "llm/openai_wire.hpp"

#include <algorithm>
#include <cctype>
#include <opsgraph/core/json.hpp>
#include <opsgraph/core/json_codec.hpp>
#include <string>
#include <string_view>
#include <utility>

#include "llm/wire_errors.hpp"
#include "llm/wire_fast_path.hpp"
#include "llm/wire_types.hpp"

namespace opsgraph::llm::wire {

namespace {

std::string_view role_name(Role role) noexcept {
  switch (role) {
    case Role::system:
      return "system";
    case Role::user:
      return "user";
    case Role::assistant:
      return "assistant";
    case Role::tool:
      return "tool";
  }
  return "user";
}

void write_messages(json::Writer& w, const std::vector<Message>& messages) {
  w.key("messages").begin_array();
  for (const Message& m : messages) {
    w.begin_object().key("role").string(role_name(m.role)).key("content").string(m.content);
    if (m.tool_call_id)
      w.key("tool_call_id").string(*m.tool_call_id);
    w.end_object();
  }
  w.end_array();
}

void write_response_format(json::Writer& w, const ResponseFormat& format) {
  switch (format.type) {
    case ResponseFormatType::text:
      return;  // the server's default
    case ResponseFormatType::json_object:
      w.key("response_format").begin_object().key("type").string("json_object").end_object();
      return;
    case ResponseFormatType::json_schema:
      w.key("response_format").begin_object().key("type").string("json_schema");
      w.key("json_schema").begin_object();
      w.key("name").string(format.name.empty() ? std::string_view("response") : format.name);
      w.key("schema").value(format.schema_value());
      w.key("strict").boolean(format.strict);
      w.end_object().end_object();
      return;
  }
}

ChatResponse response_from(const CompletionView& view) {
  ChatResponse response;
  response.content.assign(view.content.value_or(""));
  response.finish_reason.assign(view.finish_reason.value_or(""));
  response.usage = complete(view.usage.value_or(Usage{}));
  response.model.assign(view.model);
  response.id.assign(view.id);
  return response;
}

// The typed decoder: slower than the fast path, but it reads every variant and names the JSON
// path of whatever is wrong.
result<ChatResponse> decode_typed(std::string_view body) {
  result<WireCompletion> decoded = json::decode<WireCompletion>(body);
  if (!decoded)
    return fail(as_bad_response(std::move(decoded).error(), "chat completion"));
  WireCompletion& wire = decoded.value();
  if (wire.error || wire.object == "error")
    return fail(error_in_body(body));
  if (!wire.choices || wire.choices->empty())
    return fail(bad_response_at("choices", "expected at least one choice"));

  const std::size_t position = first_choice(*wire.choices);
  const WireChoice& choice = (*wire.choices)[position];
  const std::string at = "choices[" + std::to_string(position) + "].message";
  if (!choice.message)
    return fail(bad_response_at(at, "missing required field"));
  const WireMessage& message = *choice.message;
  if (!message.content) {
    if (message.refusal)
      return fail(
          make_error(errc::content_filtered, "the model refused: " + quote(*message.refusal)));
    return fail(bad_response_at(at + ".content", "expected string, got null or nothing"));
  }

  return response_from(view_of(wire, Shape::answer));
}

}  // namespace

std::string encode_request(const ChatRequest& request, std::string_view model) {
  json::Writer w(512);
  w.begin_object();
  w.key("model").string(request.model.empty() ? model : std::string_view(request.model));
  write_messages(w, request.messages);
  if (request.temperature)
    w.key("temperature").number(*request.temperature);
  if (request.top_p)
    w.key("top_p").number(*request.top_p);
  if (request.max_tokens)
    w.key("max_tokens").integer(*request.max_tokens);
  if (request.seed)
    w.key("seed").integer(*request.seed);
  if (!request.stop.empty()) {
    w.key("stop").begin_array();
    for (const std::string& s : request.stop)
      w.string(s);
    w.end_array();
  }
  write_response_format(w, request.response_format);
  if (request.stream) {
    w.key("stream").boolean(true);
    w.key("stream_options").begin_object().key("include_usage").boolean(true).end_object();
  }
  w.end_object();
  return w.take();
}

result<ChatResponse> decode_response(std::string_view body) {
  CompletionView fast;
  if (thread_reader().read(body, Shape::answer, fast) && fast.content)
    return response_from(fast);
  return decode_typed(body);
}

}  // namespace opsgraph::llm::wire
