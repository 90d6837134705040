// Cassette lines: {"key", "request", "response" | "error"}.

#include "llm/cassette_lines.hpp"

#include <opsgraph/core/json.hpp>
#include <opsgraph/llm/cassette.hpp>
#include <opsgraph/llm/chat_codec.hpp>
#include <string>
#include <utility>

namespace opsgraph::llm {

namespace {

json::Value error_to_value(const Error& error) {
  return json::Value(json::Object{{"code", json::Value(to_string(error.code))},
                                  {"message", json::Value(error.message)},
                                  {"retryable", json::Value(error.retryable)},
                                  {"details", error.details}});
}

// Reads a recorded error into `out` (result<Error> is not a thing Outcome allows).
result<void> read_error(const json::Value& value, Error& out) {
  const json::Value* code = value.find("code");
  const json::Value* message = value.find("message");
  if (code == nullptr || !code->is_string() || message == nullptr || !message->is_string())
    return fail(errc::invalid_argument, "error: expected {\"code\": string, \"message\": string}");
  for (int c = kErrcFirst; c <= kErrcLast; ++c) {
    const auto candidate = static_cast<errc>(c);
    if (to_string(candidate) != *code->if_string())
      continue;
    out = make_error(candidate, *message->if_string());
    if (const json::Value* retryable = value.find("retryable"); retryable && retryable->is_bool())
      out.retryable = *retryable->if_bool();
    if (const json::Value* details = value.find("details"))
      out.details = *details;
    return ok();
  }
  return fail(errc::invalid_argument, "error.code: unknown code " + json::dump(*code));
}

}  // namespace

std::string format_cassette_line(const json::Value& request, const result<ChatResponse>& outcome) {
  json::Value line(json::Object{{"key", json::Value(cassette_key(request))}, {"request", request}});
  if (outcome) {
    line.set("response", json::to_value(outcome.value()));
  } else {
    line.set("error", error_to_value(outcome.error()));
  }
  return json::dump(redact_strings(std::move(line)));
}

result<CassetteEntry> parse_cassette_line(std::string_view text) {
  OPSGRAPH_TRY(json::Value line, json::parse(text));
  const json::Value* request = line.find("request");
  if (request == nullptr || !request->is_object())
    return fail(errc::invalid_argument, "request: expected an object");
  const json::Value* response = line.find("response");
  const json::Value* error = line.find("error");
  if ((response == nullptr) == (error == nullptr))
    return fail(errc::invalid_argument, "expected exactly one of \"response\" and \"error\"");
  result<ChatResponse> outcome = fail(errc::internal, "no outcome");
  if (response != nullptr) {
    result<ChatResponse> decoded = json::from_value<ChatResponse>(*response);
    if (!decoded)
      return fail(errc::invalid_argument, "response: " + decoded.error().message);
    outcome = std::move(decoded);
  } else {
    Error recorded;
    OPSGRAPH_TRY(read_error(*error, recorded));
    outcome = fail(std::move(recorded));
  }
  // The key is recomputed, so a request edited by hand files under its new key.
  return CassetteEntry{*request, cassette_key(*request), std::move(outcome)};
}

}  // namespace opsgraph::llm
