// Error bodies of OpenAI-compatible servers, and the bad_response errors of malformed answers.
// Servers disagree on the error shape: OpenAI, llama.cpp and newer vLLM send {"error": {...}},
// older vLLM a top-level {"object": "error", "message": ..., "code": 400}, Ollama sometimes
// {"error": "text"}; proxies send HTML. All of them are read here.

#include "llm/wire_errors.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <opsgraph/core/json.hpp>
#include <string>
#include <string_view>
#include <utility>

#include "llm/openai_wire.hpp"
#include "llm/redact.hpp"

namespace opsgraph::llm::wire {

namespace {

// What a server said about a failure, whatever shape it said it in.
struct ServerError {
  std::string message;
  json::Value type;
  json::Value code;
};

ServerError read_server_error(std::string_view body) {
  ServerError out;
  result<json::Value> parsed = json::parse(body);
  if (!parsed) {
    out.message = std::string(body);
    return out;
  }
  const json::Value& root = parsed.value();
  const json::Value* error = root.find("error");
  if (error != nullptr && error->is_string()) {
    out.message = *error->if_string();
    return out;
  }
  const json::Value& object = (error != nullptr && error->is_object()) ? *error : root;
  if (const json::Value* message = object.find("message"); message && message->is_string())
    out.message = *message->if_string();
  if (const json::Value* type = object.find("type"))
    out.type = *type;
  if (const json::Value* code = object.find("code"))
    out.code = *code;
  return out;
}

bool is_text(const json::Value& value, std::string_view text) {
  const std::string* s = value.if_string();
  return s != nullptr && *s == text;
}

std::string lowercase(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// "This model's maximum context length is 4096 tokens" (OpenAI, vLLM), "the request exceeds the
// available context size" (llama.cpp).
bool says_context_exceeded(const ServerError& error) {
  if (is_text(error.code, "context_length_exceeded") ||
      is_text(error.type, "exceed_context_size_error")) {
    return true;
  }
  const std::string text = lowercase(error.message);
  const bool context = text.find("context length") != std::string::npos ||
                       text.find("context size") != std::string::npos ||
                       text.find("context window") != std::string::npos;
  const bool exceeded =
      text.find("exceed") != std::string::npos || text.find("maximum") != std::string::npos;
  return context && exceeded;
}

bool says_content_filtered(const ServerError& error) {
  for (const json::Value* v : {&error.code, &error.type}) {
    if (is_text(*v, "content_filter") || is_text(*v, "content_policy_violation"))
      return true;
  }
  return false;
}

errc code_for(int http_status, const ServerError& error) {
  switch (http_status) {
    case 400:
      if (says_context_exceeded(error))
        return errc::context_too_long;
      if (says_content_filtered(error))
        return errc::content_filtered;
      return errc::invalid_argument;
    case 401:
      return errc::unauthorized;
    case 403:
      return errc::permission_denied;
    case 404:
      return errc::not_found;
    case 408:
      return errc::timeout;
    case 409:
      return errc::conflict;
    case 413:
      return errc::payload_too_large;
    case 429:
      return errc::rate_limited;
    default:
      return http_status >= 500 && http_status <= 599 ? errc::upstream_unavailable
                                                      : errc::bad_response;
  }
}

// The HTTP status an error object inside a 2xx body or a stream stands for.
int status_of(const ServerError& error) {
  if (const std::int64_t* code = error.code.if_integer(); code && *code >= 400 && *code <= 599)
    return static_cast<int>(*code);
  if (is_text(error.type, "invalid_request_error") || says_context_exceeded(error))
    return 400;
  return 500;
}

Error to_error(int http_status, const ServerError& error) {
  const errc code = code_for(http_status, error);
  std::string message = "the model server answered HTTP " + std::to_string(http_status);
  message +=
      error.message.empty() ? std::string(" with no error message") : ": " + quote(error.message);
  json::Value details(json::Object{
      {"http_status", json::Value(http_status)}, {"type", error.type}, {"code", error.code}});
  return make_error(code, std::move(message), std::move(details));
}

// The length of the longest prefix of `text` no longer than `limit` that ends on a character
// boundary of UTF-8.
std::size_t utf8_prefix(std::string_view text, std::size_t limit) noexcept {
  if (text.size() <= limit)
    return text.size();
  std::size_t end = limit;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
    --end;
  return end;
}

}  // namespace

Error as_bad_response(Error decode_failure, std::string_view what) {
  if (decode_failure.code == errc::internal)
    return decode_failure;
  decode_failure.message = std::string(what) + ": " + decode_failure.message;
  decode_failure.code = errc::bad_response;
  decode_failure.retryable = is_retryable(errc::bad_response);
  return decode_failure;
}

Error bad_response_at(std::string_view path, std::string_view problem) {
  return make_error(errc::bad_response, std::string(path) + ": " + std::string(problem),
                    json::Value(json::Object{{"path", json::Value(path)}}));
}

Error error_in_body(std::string_view body) {
  const ServerError error = read_server_error(body);
  return to_error(status_of(error), error);
}

Error decode_error(int http_status, std::string_view body) {
  return to_error(http_status, read_server_error(body));
}

std::string quote(std::string_view text) {
  std::string redacted = redact_secrets(text);
  const std::size_t keep = utf8_prefix(redacted, kMaxQuotedMessage);
  if (keep == redacted.size())
    return redacted;
  redacted.resize(keep);
  return redacted + "…";
}

Usage complete(Usage usage) noexcept {
  if (usage.total_tokens == 0)
    usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
  return usage;
}

}  // namespace opsgraph::llm::wire
