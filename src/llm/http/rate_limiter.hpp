#pragma once
// RateLimiter — the client-side requests-per-minute and tokens-per-minute budget of a provider,
// as two token buckets that refill continuously and start full. A call reserves its share up
// front and is told how long to wait; reservations may run the buckets negative, so waiting
// calls queue in time order instead of racing. Not thread-safe: used on the provider's strand.
// Private to src/llm/http; exported only so that the unit tests can reach it.

#include <chrono>
#include <cstdint>
#include <opsgraph/export.hpp>
#include <opsgraph/llm/chat.hpp>

namespace opsgraph::llm::http {

class OPSGRAPH_API RateLimiter {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  /// 0 (or less) for a limit means none.
  RateLimiter(int requests_per_minute, std::int64_t tokens_per_minute, TimePoint now);

  /// Reserves one request of `tokens` and returns how long after `now` it may start (zero when
  /// it may start at once).
  std::chrono::milliseconds reserve(TimePoint now, std::int64_t tokens);
  /// Returns a reservation that will not be used (the call gave up while waiting).
  void cancel(std::int64_t tokens);
  /// Settles a reservation of `estimated` tokens that actually cost `actual`.
  void settle(std::int64_t estimated, std::int64_t actual);

 private:
  class Bucket {
   public:
    Bucket(double per_minute, TimePoint now);
    /// Takes `amount` at `now` and returns the time until the balance is back at zero.
    std::chrono::milliseconds take(TimePoint now, double amount);
    /// Credits (positive) or debits (negative) the balance, never above the capacity.
    void adjust(double delta);

   private:
    void refill(TimePoint now);

    double capacity_;  // 0 means unlimited
    double level_;
    TimePoint updated_;
  };

  Bucket requests_;
  Bucket tokens_;
};

/// What a request will probably cost: about four characters per token of its messages, plus the
/// completion it allows (max_tokens).
OPSGRAPH_API std::int64_t estimate_tokens(const ChatRequest& request) noexcept;

}  // namespace opsgraph::llm::http
