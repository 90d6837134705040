#pragma once
// Per-key token buckets: each key may make `burst` calls at once and `per_second` on average;
// a call over that is refused with how long to wait. Thread-safe (one mutex: a take is a map
// lookup and some arithmetic). Idle buckets are dropped now and then, so memory follows the keys
// in use.

#include <chrono>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace opsgraph::service {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  /// per_second 0 admits everything.
  RateLimiter(double per_second, double burst) : per_second_(per_second), burst_(burst) {}

  struct Verdict {
    bool allowed = true;
    /// When refused: whole seconds until a call would pass (at least 1), for Retry-After.
    long retry_after_seconds = 0;
  };

  /// Takes one token from `key`'s bucket at time `now`.
  Verdict take(std::string_view key, Clock::time_point now);

 private:
  struct Bucket {
    double tokens = 0;
    Clock::time_point refilled{};
  };

  // Lets find() take the key as a string_view: no allocation per call.
  struct KeyHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view key) const noexcept {
      return std::hash<std::string_view>{}(key);
    }
  };

  void drop_full_buckets(Clock::time_point now);

  const double per_second_;
  const double burst_;
  std::mutex mutex_;
  std::unordered_map<std::string, Bucket, KeyHash, std::equal_to<>> buckets_;
  Clock::time_point swept_{};
};

}  // namespace opsgraph::service
