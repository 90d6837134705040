#pragma once
// opsgraph::mock::Fault — a failure the mock LLM server injects into one answer: an HTTP error
// with OpenAI's error body, a broken or hanging connection, a wrong body, and/or added latency.
// Plain value types; parse_fault() reads the compact text form that the `x-mock-fault` header and
// the rules file both use.

#include <chrono>
#include <opsgraph/core/result.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace opsgraph::mock {

/// What goes wrong. Names (see to_string) are what the header and rules files spell.
enum class FaultKind {
  none,                     ///< Answer normally (latency may still apply).
  rate_limited,             ///< 429 with Retry-After and x-ratelimit-reset-requests. Alias "429".
  server_error,             ///< 500 with an OpenAI error body. Alias "500".
  unavailable,              ///< 503 with an OpenAI error body. Alias "503".
  unauthorized,             ///< 401, code "invalid_api_key". Alias "401".
  bad_request,              ///< 400, type "invalid_request_error". Alias "400".
  context_length_exceeded,  ///< 400, code "context_length_exceeded".
  hang,                     ///< Read the request, never answer (until the client or stop()).
  malformed_json,           ///< 200 with a body (or SSE event) that is not valid JSON.
  truncated,           ///< Content-Length promises more than is sent, then the connection closes.
  reset_mid_stream,    ///< Part of the answer, then a TCP reset (SO_LINGER 0 + close).
  wrong_content_type,  ///< 200 with a text/html body.
};

/// The canonical name of `kind`, e.g. "rate_limited"; "none" for FaultKind::none.
std::string_view to_string(FaultKind kind) noexcept;

/// One fault and its parameters. A default Fault does nothing.
struct Fault {
  FaultKind kind = FaultKind::none;
  /// Delay before the answer (or the fault). When latency_max > latency_min the delay is drawn
  /// uniformly from [latency_min, latency_max] with the server's seeded generator.
  std::chrono::milliseconds latency_min{0};
  std::chrono::milliseconds latency_max{0};
  /// For rate_limited: the Retry-After seconds; unset means the server's configured default.
  std::optional<int> retry_after_seconds;

  bool has_latency() const noexcept { return latency_max.count() > 0; }
  bool is_noop() const noexcept { return kind == FaultKind::none && !has_latency(); }

  friend bool operator==(const Fault&, const Fault&) = default;
};

/// Parses the compact form: items separated by ';', at most one fault name (a FaultKind name or
/// its HTTP alias, or "latency"), plus parameters `latency_ms=N`, `latency_ms=MIN-MAX` and
/// `retry_after=SECONDS`. Examples: "429", "rate_limited;retry_after=3", "latency_ms=200",
/// "500;latency_ms=50-150". invalid_argument naming the offending item otherwise.
result<Fault> parse_fault(std::string_view text);

}  // namespace opsgraph::mock
