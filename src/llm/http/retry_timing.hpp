#pragma once
// When to try a failed attempt again: the server's hints (Retry-After, retry-after-ms,
// x-ratelimit-reset-*) and the client's own exponential backoff with full jitter.
// Private to src/llm/http; exported only so that the unit tests can reach it.

#include <chrono>
#include <cstdint>
#include <opsgraph/core/clock.hpp>
#include <opsgraph/export.hpp>
#include <opsgraph/llm/openai.hpp>
#include <optional>
#include <random>
#include <string_view>

#include "llm/http/response_headers.hpp"

namespace opsgraph::llm::http {

/// A Retry-After value: delta-seconds ("120") or an IMF-fixdate HTTP date ("Wed, 21 Oct 2015
/// 07:28:00 GMT") taken relative to `now` (a date in the past means zero). nullopt when the
/// value is neither.
OPSGRAPH_API std::optional<std::chrono::milliseconds> parse_retry_after(
    std::string_view value, SystemClock::time_point now);

/// An x-ratelimit-reset-* value: a Go duration ("1s", "6m0s", "20ms", "1h2m3.5s") or plain
/// seconds ("0.5"). nullopt when malformed.
OPSGRAPH_API std::optional<std::chrono::milliseconds> parse_reset_duration(std::string_view value);

/// The longest wait the server asked for in `headers`: retry-after-ms, Retry-After, and the
/// x-ratelimit-reset-requests / -tokens pair. nullopt when it asked for none.
OPSGRAPH_API std::optional<std::chrono::milliseconds> server_retry_hint(
    const ResponseHeaders& headers, SystemClock::time_point now);

/// Full-jitter exponential backoff. Not thread-safe: one per provider, used on its strand.
class OPSGRAPH_API Backoff {
 public:
  explicit Backoff(const OpenAIRetryPolicy& policy);

  /// The upper bound of the delay before retry `retry` (1 for the first retry).
  std::chrono::milliseconds bound(int retry) const noexcept;
  /// A delay drawn uniformly from [0, bound(retry)].
  std::chrono::milliseconds next(int retry);

 private:
  std::chrono::milliseconds base_;
  std::chrono::milliseconds cap_;
  std::mt19937_64 random_;
};

}  // namespace opsgraph::llm::http
