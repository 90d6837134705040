#pragma once
// How the wire layer reports what servers send wrong: malformed answers as errc::bad_response
// with their JSON path, and error bodies (HTTP errors, or error objects inside a 2xx body or a
// stream) as the Error decode_error maps them to. Stateless; thread-safe. Private to src/llm.

#include <opsgraph/core/error.hpp>
#include <opsgraph/llm/chat.hpp>
#include <string>
#include <string_view>

namespace opsgraph::llm::wire {

/// A decode failure (errc::invalid_argument with a path) as errc::bad_response whose message
/// starts with `what`, the document that failed ("chat completion", "stream chunk 3").
Error as_bad_response(Error decode_failure, std::string_view what);

/// errc::bad_response "<path>: <problem>" with details {"path": path}.
Error bad_response_at(std::string_view path, std::string_view problem);

/// The Error for a body that is an error object where an answer or chunk was expected: the
/// status comes from error.code when it is an HTTP status, else 400 for invalid requests, else
/// 500; then as decode_error.
Error error_in_body(std::string_view body);

/// `text` as an Error message may quote it: secrets redacted, cut to kMaxQuotedMessage bytes
/// (at a UTF-8 character boundary, with "…" when cut).
std::string quote(std::string_view text);

/// `usage` with total_tokens filled in when the server left it out.
Usage complete(Usage usage) noexcept;

}  // namespace opsgraph::llm::wire
