// The normal form of a request, secret redaction over JSON values, and the cassette key.

#include <algorithm>
#include <opsgraph/core/json.hpp>
#include <opsgraph/core/sha256.hpp>
#include <opsgraph/llm/cassette.hpp>
#include <opsgraph/llm/chat_codec.hpp>
#include <string>
#include <utility>

#include "llm/cassette_lines.hpp"
#include "llm/redact.hpp"

namespace opsgraph::llm {

namespace {

template <class T>
json::Value or_null(const std::optional<T>& value) {
  return value ? json::Value(*value) : json::Value();
}

json::Value normal_format(const ResponseFormat& format) {
  json::Value out(json::Object{{"type", json::to_value(format.type)}});
  if (format.type == ResponseFormatType::json_schema) {
    out.set("name", json::Value(format.name.empty() ? std::string("response") : format.name));
    out.set("schema", format.schema_value());
    out.set("strict", json::Value(format.strict));
  }
  return out;
}

json::Value normal_messages(const std::vector<Message>& messages) {
  json::Array out;
  out.reserve(messages.size());
  for (const Message& m : messages) {
    out.push_back(json::Value(json::Object{{"role", json::to_value(m.role)},
                                           {"content", json::Value(m.content)},
                                           {"tool_call_id", or_null(m.tool_call_id)}}));
  }
  return json::Value(std::move(out));
}

// `value` with its object members sorted by name at every level.
json::Value canonical(json::Value value) {
  if (json::Object* object = value.if_object()) {
    for (auto& member : *object)
      member.second = canonical(std::move(member.second));
    std::sort(object->begin(), object->end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
  } else if (json::Array* array = value.if_array()) {
    for (json::Value& element : *array)
      element = canonical(std::move(element));
  }
  return value;
}

}  // namespace

json::Value redact_strings(json::Value value) {
  if (const std::string* text = value.if_string())
    return json::Value(redact_secrets(*text));
  if (json::Object* object = value.if_object()) {
    for (auto& member : *object)
      member.second = redact_strings(std::move(member.second));
  } else if (json::Array* array = value.if_array()) {
    for (json::Value& element : *array)
      element = redact_strings(std::move(element));
  }
  return value;
}

json::Value cassette_request(const ChatRequest& request) {
  json::Value normal(json::Object{
      {"model", json::Value(request.model)},
      {"messages", normal_messages(request.messages)},
      {"temperature", or_null(request.temperature)},
      {"top_p", or_null(request.top_p)},
      {"max_tokens", or_null(request.max_tokens)},
      {"seed", or_null(request.seed)},
      {"stop", json::to_value(request.stop)},
      {"response_format", normal_format(request.response_format)},
  });
  return redact_strings(std::move(normal));
}

std::string cassette_key(const ChatRequest& request) {
  return cassette_key(cassette_request(request));
}

std::string cassette_key(const json::Value& normal_form) {
  return content_hash(json::dump(canonical(normal_form)));
}

}  // namespace opsgraph::llm
