#include "chat_call.hpp"

#include <opsgraph/core/json.hpp>

namespace opsgraph::mock::detail {

namespace {

result<std::string> message_text(const json::Value& content, std::size_t index) {
  if (content.is_null())
    return std::string();
  if (const auto* text = content.if_string())
    return *text;
  // The array form: [{"type": "text", "text": "..."}, {"type": "image_url", ...}].
  if (const auto* parts = content.if_array()) {
    std::string joined;
    for (const auto& part : *parts) {
      const auto* text = part.find("text");
      if (text != nullptr && text->is_string())
        joined += *text->if_string();
    }
    return joined;
  }
  return fail(errc::invalid_argument,
              "messages[" + std::to_string(index) + "].content must be a string, an array or null");
}

result<void> read_messages(const json::Value& messages, ChatCall& call) {
  const auto* items = messages.if_array();
  if (items == nullptr || items->empty())
    return fail(errc::invalid_argument, "messages must be a non-empty array");
  bool have_system = false;
  for (std::size_t i = 0; i < items->size(); ++i) {
    const auto& message = (*items)[i];
    const auto* role = message.find("role");
    if (role == nullptr || !role->is_string())
      return fail(errc::invalid_argument,
                  "messages[" + std::to_string(i) + "].role must be a string");
    const auto* content = message.find("content");
    OPSGRAPH_TRY(auto text, message_text(content ? *content : json::Value(), i));
    call.prompt_bytes += text.size();
    const auto& role_name = *role->if_string();
    if ((role_name == "system" || role_name == "developer") && !have_system) {
      call.system_message = std::move(text);
      have_system = true;
    } else if (role_name == "user") {
      call.last_user_message = std::move(text);
    }
  }
  call.message_count = items->size();
  return ok();
}

result<void> read_response_format(const json::Value& format, ChatCall& call) {
  const auto* type = format.find("type");
  if (type == nullptr || !type->is_string())
    return fail(errc::invalid_argument, "response_format.type must be a string");
  const auto& name = *type->if_string();
  if (name == "text") {
    call.format = AnswerFormat::text;
  } else if (name == "json_object") {
    call.format = AnswerFormat::json_object;
  } else if (name == "json_schema") {
    const auto* spec = format.find("json_schema");
    if (spec == nullptr || !spec->is_object())
      return fail(errc::invalid_argument, "response_format.json_schema must be an object");
    call.format = AnswerFormat::json_schema;
    if (const auto* schema = spec->find("schema"))
      call.schema = *schema;
  } else {
    return fail(errc::invalid_argument,
                "response_format.type must be text, json_object or "
                "json_schema, not '" +
                    name + "'");
  }
  return ok();
}

result<bool> read_flag(const json::Value& object, std::string_view key, std::string_view where) {
  const auto* value = object.find(key);
  if (value == nullptr || value->is_null())
    return false;
  if (!value->is_bool())
    return fail(errc::invalid_argument, std::string(where) + " must be a boolean");
  return *value->if_bool();
}

}  // namespace

result<ChatCall> read_chat_call(std::string_view body) {
  auto parsed = json::parse(body);
  if (!parsed)
    return fail(errc::invalid_argument,
                "the request body is not valid JSON: " + parsed.error().message);
  const auto& request = parsed.value();
  if (!request.is_object())
    return fail(errc::invalid_argument, "the request body must be a JSON object");

  ChatCall call;
  const auto* model = request.find("model");
  if (model == nullptr || !model->is_string() || model->if_string()->empty())
    return fail(errc::invalid_argument, "you must provide a model parameter (a string)");
  call.model = *model->if_string();

  const auto* messages = request.find("messages");
  if (messages == nullptr)
    return fail(errc::invalid_argument, "missing required parameter: 'messages'");
  OPSGRAPH_TRY(read_messages(*messages, call));

  for (std::string_view number : {"temperature", "top_p", "max_tokens"}) {
    const auto* value = request.find(number);
    if (value != nullptr && !value->is_null() && !value->is_number())
      return fail(errc::invalid_argument, std::string(number) + " must be a number");
  }
  OPSGRAPH_TRY(call.stream, read_flag(request, "stream", "stream"));
  if (const auto* options = request.find("stream_options"); options && options->is_object()) {
    OPSGRAPH_TRY(call.include_usage,
                 read_flag(*options, "include_usage", "stream_options.include_usage"));
  }
  if (const auto* format = request.find("response_format"); format && !format->is_null()) {
    OPSGRAPH_TRY(read_response_format(*format, call));
  }
  return call;
}

std::int64_t estimate_tokens(std::size_t bytes) noexcept {
  return static_cast<std::int64_t>((bytes + 3) / 4) + (bytes == 0 ? 1 : 0);
}

}  // namespace opsgraph::mock::detail
