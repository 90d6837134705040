// The RapidJSON DOM baseline and the simdjson outer-only limit of the LLM parse benchmark.

#include "llm_baselines.hpp"

#include <rapidjson/document.h>
#include <simdjson.h>

#include <cstring>
#include <string>
#include <string_view>

#include "llm/sse_parser.hpp"

namespace bench::llm {

using opsgraph::llm::ChatResponse;
using opsgraph::llm::wire::SseEvent;
using opsgraph::llm::wire::SseParser;

namespace {

constexpr std::string_view kDone = "[DONE]";

std::string_view view(const rapidjson::Value& v) {
  return {v.GetString(), v.GetStringLength()};
}

bool read_string(const rapidjson::Value& object, const char* name, std::string& out) {
  const auto it = object.FindMember(name);
  if (it == object.MemberEnd() || it->value.IsNull())
    return true;
  if (!it->value.IsString())
    return false;
  out.assign(view(it->value));
  return true;
}

bool read_usage(const rapidjson::Value& root, opsgraph::llm::Usage& out) {
  const auto it = root.FindMember("usage");
  if (it == root.MemberEnd() || it->value.IsNull())
    return true;
  if (!it->value.IsObject())
    return false;
  for (auto [name, field] : {std::pair{"prompt_tokens", &out.prompt_tokens},
                             std::pair{"completion_tokens", &out.completion_tokens},
                             std::pair{"total_tokens", &out.total_tokens}}) {
    const auto m = it->value.FindMember(name);
    if (m == it->value.MemberEnd())
      continue;
    if (!m->value.IsInt64())
      return false;
    *field = m->value.GetInt64();
  }
  return true;
}

// Choice 0 of `root`, or null.
const rapidjson::Value* first_choice(const rapidjson::Value& root) {
  const auto choices = root.FindMember("choices");
  if (choices == root.MemberEnd() || !choices->value.IsArray() || choices->value.Empty())
    return nullptr;
  const rapidjson::Value& choice = choices->value[0];
  return choice.IsObject() ? &choice : nullptr;
}

// A reused ondemand parser and padded buffer, as production keeps one per thread.
struct OnDemand {
  simdjson::ondemand::parser parser;
  std::string buffer;

  simdjson::simdjson_result<simdjson::ondemand::document> iterate(std::string_view text) {
    buffer.resize(text.size() + simdjson::SIMDJSON_PADDING);
    std::memcpy(buffer.data(), text.data(), text.size());
    return parser.iterate(buffer.data(), text.size(), buffer.size());
  }
};

OnDemand& on_demand() {
  thread_local OnDemand instance;
  return instance;
}

// Locates what decode_response reads; the content's raw token size, or 0.
std::size_t outer_only(std::string_view text, const char* message_key) {
  simdjson::ondemand::document doc;
  if (on_demand().iterate(text).get(doc))
    return 0;
  std::size_t content_bytes = 0;
  simdjson::ondemand::object root;
  if (doc.get_object().get(root))
    return 0;
  for (auto field : root) {
    std::string_view key;
    if (field.unescaped_key().get(key))
      return 0;
    if (key == "id" || key == "model") {
      std::string_view s;
      if (field.value().get_string().get(s))
        return 0;
    } else if (key == "choices") {
      for (auto choice : field.value().get_array()) {
        simdjson::ondemand::object c;
        if (choice.get_object().get(c))
          return 0;
        for (auto member : c) {
          std::string_view name;
          if (member.unescaped_key().get(name))
            return 0;
          if (name == message_key) {
            simdjson::ondemand::value content;
            if (member.value()["content"].get(content) == simdjson::SUCCESS)
              content_bytes += content.raw_json_token().size();
          }
        }
      }
    } else if (key == "usage") {
      simdjson::ondemand::value usage;
      if (field.value().get(usage))
        return 0;
      if (usage.type() == simdjson::ondemand::json_type::object) {
        for (auto count : usage.get_object()) {
          std::int64_t n = 0;
          if (count.value().get_int64().get(n))
            return 0;
        }
      }
    }
  }
  return content_bytes;
}

// Calls on_data for each data payload of an SSE body until [DONE]; false if one fails.
template <class F>
bool each_chunk(std::string_view body, F&& on_data) {
  SseParser parser;
  bool ok = true;
  parser.feed(body, [&](const SseEvent& event) {
    if (event.data == kDone)
      return false;
    ok = on_data(std::string_view(event.data));
    return ok;
  });
  return ok;
}

}  // namespace

bool rapidjson_answer(std::string_view body, ChatResponse& out) {
  rapidjson::Document doc;
  doc.Parse(body.data(), body.size());
  if (doc.HasParseError() || !doc.IsObject())
    return false;
  const rapidjson::Value* choice = first_choice(doc);
  if (choice == nullptr)
    return false;
  const auto message = choice->FindMember("message");
  if (message == choice->MemberEnd() || !message->value.IsObject())
    return false;
  const auto content = message->value.FindMember("content");
  if (content == message->value.MemberEnd() || !content->value.IsString())
    return false;
  out.content.assign(view(content->value));
  return read_string(*choice, "finish_reason", out.finish_reason) &&
         read_string(doc, "model", out.model) && read_string(doc, "id", out.id) &&
         read_usage(doc, out.usage);
}

bool rapidjson_stream(std::string_view body, ChatResponse& out) {
  out = ChatResponse{};
  return each_chunk(body, [&out](std::string_view data) {
    rapidjson::Document doc;
    doc.Parse(data.data(), data.size());
    if (doc.HasParseError() || !doc.IsObject())
      return false;
    if (out.id.empty() && !read_string(doc, "id", out.id))
      return false;
    if (out.model.empty() && !read_string(doc, "model", out.model))
      return false;
    if (!read_usage(doc, out.usage))
      return false;
    const rapidjson::Value* choice = first_choice(doc);
    if (choice == nullptr)
      return true;
    if (!read_string(*choice, "finish_reason", out.finish_reason))
      return false;
    const auto delta = choice->FindMember("delta");
    if (delta == choice->MemberEnd() || !delta->value.IsObject())
      return false;
    const auto content = delta->value.FindMember("content");
    if (content != delta->value.MemberEnd()) {
      if (!content->value.IsString())
        return false;
      out.content.append(view(content->value));
    }
    return true;
  });
}

std::size_t outer_only_answer(std::string_view body) {
  return outer_only(body, "message");
}

std::size_t outer_only_stream(std::string_view body) {
  std::size_t total = 0;
  each_chunk(body, [&total](std::string_view data) {
    total += outer_only(data, "delta");
    return true;
  });
  return total;
}

}  // namespace bench::llm
