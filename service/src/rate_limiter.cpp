#include "rate_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace opsgraph::service {
namespace {

// How often buckets that have refilled completely (their keys went quiet) are forgotten.
constexpr auto kSweepInterval = std::chrono::seconds{60};

double seconds_between(RateLimiter::Clock::time_point from, RateLimiter::Clock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

}  // namespace

RateLimiter::Verdict RateLimiter::take(std::string_view key, Clock::time_point now) {
  if (per_second_ <= 0)
    return {};
  std::lock_guard lock(mutex_);
  if (now - swept_ >= kSweepInterval)
    drop_full_buckets(now);
  auto found = buckets_.find(key);
  if (found == buckets_.end())
    found = buckets_.emplace(std::string(key), Bucket{burst_, now}).first;
  auto& bucket = found->second;
  bucket.tokens =
      std::min(burst_, bucket.tokens + seconds_between(bucket.refilled, now) * per_second_);
  bucket.refilled = now;
  if (bucket.tokens >= 1.0) {
    bucket.tokens -= 1.0;
    return {};
  }
  const double wait = (1.0 - bucket.tokens) / per_second_;
  return {false, std::max(1L, static_cast<long>(std::ceil(wait)))};
}

void RateLimiter::drop_full_buckets(Clock::time_point now) {
  swept_ = now;
  std::erase_if(buckets_, [&](const auto& entry) {
    const auto& bucket = entry.second;
    return bucket.tokens + seconds_between(bucket.refilled, now) * per_second_ >= burst_;
  });
}

}  // namespace opsgraph::service
