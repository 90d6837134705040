#pragma once
// opsgraph::Error — the one error type of opsgraph. Every fallible call returns a result<T>
// (<opsgraph/core/result.hpp>) carrying an Error on failure; no exception crosses a public
// function. The errc values are pinned: the C ABI exposes them as integers, forever.

#include <opsgraph/core/json_value.hpp>
#include <opsgraph/export.hpp>
#include <string>
#include <string_view>
#include <system_error>

namespace opsgraph {

/// What went wrong, as a closed set. Values never change meaning; new ones are only appended.
enum class errc : int {
  invalid_argument = 1,        ///< The caller's input is malformed or out of range.
  not_found = 2,               ///< The named task, run, key or file does not exist.
  conflict = 3,                ///< Wrong state for the call, or a lost compare-and-swap race.
  unauthorized = 4,            ///< No credentials, or credentials that are not recognised.
  permission_denied = 5,       ///< Recognised credentials that may not do this.
  payload_too_large = 6,       ///< Input over a configured size limit.
  unsupported_media_type = 7,  ///< Input in a format opsgraph does not accept.
  rate_limited = 8,            ///< Too many calls; retry after the advertised delay.
  timeout = 9,                 ///< A node, call or run took longer than its deadline.
  cancelled = 10,              ///< The caller (or a shutdown) cancelled the work.
  upstream_unavailable = 11,   ///< An LLM or other upstream could not be reached or was down.
  bad_response = 12,           ///< An upstream answered with something unusable.
  context_too_long = 13,       ///< A prompt exceeded the model's context window.
  content_filtered = 14,       ///< The upstream refused the content.
  storage = 15,                ///< The task store or checkpointer failed.
  internal = 16,               ///< A bug in opsgraph: an invariant did not hold.
};

/// The lowest and highest errc values, for range checks at the C ABI.
inline constexpr int kErrcFirst = 1;
inline constexpr int kErrcLast = 16;

/// The stable snake_case name of `code`, e.g. "invalid_argument"; "unknown" outside the enum.
OPSGRAPH_API std::string_view to_string(errc code) noexcept;

/// Whether a failure of this kind may succeed if tried again unchanged (the default classifier;
/// an Error may override it, e.g. a storage error that is a full disk is not retryable).
OPSGRAPH_API bool is_retryable(errc code) noexcept;

/// The std::error_category of errc, named "opsgraph".
OPSGRAPH_API const std::error_category& error_category() noexcept;

inline std::error_code make_error_code(errc code) noexcept {
  return {static_cast<int>(code), error_category()};
}

/// A failure: its kind, a message a person can act on, whether retrying may help, and structured
/// details (for example the JSON path that failed, or the Retry-After delay in seconds).
struct Error {
  errc code = errc::internal;
  std::string message;
  bool retryable = false;
  json::Value details;

  friend bool operator==(const Error&, const Error&) = default;
};

/// An Error of `code` whose retryable flag comes from is_retryable(code).
inline Error make_error(errc code, std::string message, json::Value details = {}) {
  return Error{code, std::move(message), is_retryable(code), std::move(details)};
}

/// The single funnel for errors of dependencies that speak std::error_code (Asio, the OS):
/// operation_aborted becomes cancelled, timed_out becomes timeout, and so on. `context` says what
/// was being done ("connect to 127.0.0.1:8080") and starts the message.
OPSGRAPH_API Error error_from(const std::error_code& ec, std::string_view context);

/// The single funnel for exceptions caught at a boundary (a node, a callback, the C ABI): turns
/// the exception in flight into an Error. Call it only inside a catch block.
OPSGRAPH_API Error error_from_current_exception(std::string_view context);

}  // namespace opsgraph

template <>
struct std::is_error_code_enum<opsgraph::errc> : std::true_type {};
