#include "openai_bodies.hpp"

#include <algorithm>
#include <opsgraph/core/json_writer.hpp>
#include <optional>
#include <utility>

namespace opsgraph::mock::detail {

namespace {

constexpr std::size_t kStreamDeltas = 4;

void write_usage(json::Writer& out, const llm::Usage& usage) {
  out.key("usage").begin_object();
  out.key("prompt_tokens").integer(usage.prompt_tokens);
  out.key("completion_tokens").integer(usage.completion_tokens);
  out.key("total_tokens").integer(usage.total_tokens);
  out.end_object();
}

void write_envelope(json::Writer& out, const Answer& answer, std::string_view object) {
  out.key("id").string(answer.id);
  out.key("object").string(object);
  out.key("created").integer(answer.created);
  out.key("model").string(answer.model);
}

// Splits `text` into about kStreamDeltas pieces without cutting a UTF-8 sequence in two, so each
// piece is valid UTF-8 on its own and the deltas join back to exactly `text`.
std::vector<std::string_view> split_utf8(std::string_view text) {
  std::vector<std::string_view> pieces;
  const std::size_t target =
      std::max<std::size_t>(1, (text.size() + kStreamDeltas - 1) / kStreamDeltas);
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = std::min(text.size(), start + target);
    while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
      ++end;
    pieces.push_back(text.substr(start, end - start));
    start = end;
  }
  return pieces;
}

class ChunkWriter {
 public:
  explicit ChunkWriter(const Answer& answer) : answer_(answer) {}

  // One `data:` event whose single choice carries `delta` fields and `finish_reason`.
  std::string choice_event(std::string_view role, std::optional<std::string_view> content,
                           std::string_view finish_reason) {
    begin();
    out_.key("choices").begin_array().begin_object();
    out_.key("index").integer(0);
    out_.key("delta").begin_object();
    if (!role.empty())
      out_.key("role").string(role);
    if (content)
      out_.key("content").string(*content);
    out_.end_object();
    out_.key("logprobs").null();
    if (finish_reason.empty())
      out_.key("finish_reason").null();
    else
      out_.key("finish_reason").string(finish_reason);
    out_.end_object().end_array();
    return end();
  }

  std::string usage_event() {
    begin();
    out_.key("choices").begin_array().end_array();
    write_usage(out_, answer_.usage);
    return end();
  }

 private:
  void begin() {
    out_.begin_object();
    write_envelope(out_, answer_, "chat.completion.chunk");
  }
  std::string end() {
    out_.end_object();
    return "data: " + out_.take() + "\n\n";
  }

  const Answer& answer_;
  json::Writer out_;
};

}  // namespace

std::string completion_body(const Answer& answer) {
  json::Writer out;
  out.begin_object();
  write_envelope(out, answer, "chat.completion");
  out.key("choices").begin_array().begin_object();
  out.key("index").integer(0);
  out.key("message").begin_object();
  out.key("role").string("assistant");
  out.key("content").string(answer.content);
  out.key("refusal").null();
  out.end_object();
  out.key("logprobs").null();
  out.key("finish_reason").string(answer.finish_reason);
  out.end_object().end_array();
  write_usage(out, answer.usage);
  out.key("system_fingerprint").string("fp_mock");
  out.end_object();
  return out.take();
}

std::vector<std::string> stream_events(const Answer& answer, bool include_usage) {
  ChunkWriter chunks(answer);
  std::vector<std::string> events;
  events.push_back(chunks.choice_event("assistant", "", ""));
  // The comment goes after the first content delta, where a client's SSE parser must skip it.
  bool kept_alive = false;
  for (auto piece : split_utf8(answer.content)) {
    events.push_back(chunks.choice_event("", piece, ""));
    if (!std::exchange(kept_alive, true))
      events.push_back(": keep-alive\n\n");
  }
  if (!kept_alive)
    events.push_back(": keep-alive\n\n");
  events.push_back(chunks.choice_event("", std::nullopt, answer.finish_reason));
  if (include_usage)
    events.push_back(chunks.usage_event());
  events.push_back("data: [DONE]\n\n");
  return events;
}

std::string error_body(std::string_view message, std::string_view type, const json::Value& code) {
  json::Writer out;
  out.begin_object().key("error").begin_object();
  out.key("message").string(message);
  out.key("type").string(type);
  out.key("param").null();
  out.key("code").value(code);
  out.end_object().end_object();
  return out.take();
}

std::string models_body(const std::vector<std::string>& models, std::int64_t created) {
  json::Writer out;
  out.begin_object();
  out.key("object").string("list");
  out.key("data").begin_array();
  for (const auto& model : models) {
    out.begin_object();
    out.key("id").string(model);
    out.key("object").string("model");
    out.key("created").integer(created);
    out.key("owned_by").string("opsgraph-mock");
    out.end_object();
  }
  out.end_array().end_object();
  return out.take();
}

}  // namespace opsgraph::mock::detail
