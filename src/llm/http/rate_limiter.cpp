#include "llm/http/rate_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace opsgraph::llm::http {
namespace {

constexpr double kMillisPerMinute = 60'000.0;

}  // namespace

RateLimiter::Bucket::Bucket(double per_minute, TimePoint now)
    : capacity_(std::max(0.0, per_minute)), level_(capacity_), updated_(now) {}

void RateLimiter::Bucket::refill(TimePoint now) {
  if (now <= updated_)
    return;
  const double elapsed_ms = std::chrono::duration<double, std::milli>(now - updated_).count();
  level_ = std::min(capacity_, level_ + elapsed_ms * capacity_ / kMillisPerMinute);
  updated_ = now;
}

std::chrono::milliseconds RateLimiter::Bucket::take(TimePoint now, double amount) {
  if (capacity_ == 0)
    return std::chrono::milliseconds{0};
  refill(now);
  // A single request larger than the whole budget could never start; it costs the full budget.
  level_ -= std::min(amount, capacity_);
  if (level_ >= 0)
    return std::chrono::milliseconds{0};
  const double wait_ms = -level_ * kMillisPerMinute / capacity_;
  return std::chrono::milliseconds{static_cast<std::int64_t>(std::ceil(wait_ms))};
}

void RateLimiter::Bucket::adjust(double delta) {
  if (capacity_ == 0)
    return;
  level_ = std::min(capacity_, level_ + delta);
}

RateLimiter::RateLimiter(int requests_per_minute, std::int64_t tokens_per_minute, TimePoint now)
    : requests_(static_cast<double>(requests_per_minute), now),
      tokens_(static_cast<double>(tokens_per_minute), now) {}

std::chrono::milliseconds RateLimiter::reserve(TimePoint now, std::int64_t tokens) {
  const auto request_wait = requests_.take(now, 1.0);
  const auto token_wait = tokens_.take(now, static_cast<double>(std::max<std::int64_t>(0, tokens)));
  return std::max(request_wait, token_wait);
}

void RateLimiter::cancel(std::int64_t tokens) {
  requests_.adjust(1.0);
  tokens_.adjust(static_cast<double>(std::max<std::int64_t>(0, tokens)));
}

void RateLimiter::settle(std::int64_t estimated, std::int64_t actual) {
  if (actual <= 0)
    return;  // the server reported no usage: keep the estimate
  tokens_.adjust(static_cast<double>(estimated - actual));
}

std::int64_t estimate_tokens(const ChatRequest& request) noexcept {
  std::size_t chars = 0;
  for (const Message& message : request.messages)
    chars += message.content.size();
  const auto prompt = static_cast<std::int64_t>((chars + 3) / 4);
  return prompt + std::max<std::int64_t>(0, request.max_tokens.value_or(0));
}

}  // namespace opsgraph::llm::http
