// The client-side requests/tokens-per-minute buckets, driven with explicit time points.

#include "llm/http/rate_limiter.hpp"

#include <gtest/gtest.h>

namespace opsgraph::llm::http {
namespace {

using std::chrono::milliseconds;
using TimePoint = RateLimiter::TimePoint;

const TimePoint kStart{std::chrono::hours{1}};

TEST(RateLimiterTest, UnlimitedNeverWaits) {
  RateLimiter limiter(0, 0, kStart);
  for (int i = 0; i < 10'000; ++i)
    ASSERT_EQ(limiter.reserve(kStart, 1'000'000), milliseconds{0});
}

TEST(RateLimiterTest, RequestsPerMinuteQueueInTimeOrder) {
  RateLimiter limiter(60, 0, kStart);  // one per second once the burst is spent
  for (int i = 0; i < 60; ++i)
    ASSERT_EQ(limiter.reserve(kStart, 0), milliseconds{0}) << i;
  EXPECT_EQ(limiter.reserve(kStart, 0), milliseconds{1000});
  EXPECT_EQ(limiter.reserve(kStart, 0), milliseconds{2000});
  // Two seconds later both reservations are paid for, and the next one waits a second.
  EXPECT_EQ(limiter.reserve(kStart + milliseconds{2000}, 0), milliseconds{1000});
}

TEST(RateLimiterTest, TokensPerMinuteAndCancel) {
  RateLimiter limiter(0, 6000, kStart);  // 100 tokens per second
  EXPECT_EQ(limiter.reserve(kStart, 6000), milliseconds{0});
  EXPECT_EQ(limiter.reserve(kStart, 500), milliseconds{5000});
  limiter.cancel(500);
  EXPECT_EQ(limiter.reserve(kStart, 100), milliseconds{1000});
}

TEST(RateLimiterTest, ARequestLargerThanTheBudgetCostsTheWholeBudget) {
  RateLimiter limiter(0, 1000, kStart);
  EXPECT_EQ(limiter.reserve(kStart, 50'000), milliseconds{0});
  EXPECT_EQ(limiter.reserve(kStart, 1000), milliseconds{60'000});
}

TEST(RateLimiterTest, SettleCorrectsTheEstimate) {
  RateLimiter over(0, 6000, kStart);
  EXPECT_EQ(over.reserve(kStart, 1000), milliseconds{0});
  over.settle(1000, 7000);  // the server billed 6000 more than estimated
  EXPECT_EQ(over.reserve(kStart, 100), milliseconds{11'000});  // 1100 tokens in debt

  RateLimiter under(0, 6000, kStart);
  EXPECT_EQ(under.reserve(kStart, 6000), milliseconds{0});
  under.settle(6000, 100);  // most of the estimate comes back
  EXPECT_EQ(under.reserve(kStart, 5900), milliseconds{0});

  RateLimiter unreported(0, 6000, kStart);
  EXPECT_EQ(unreported.reserve(kStart, 6000), milliseconds{0});
  unreported.settle(6000, 0);  // no usage reported: the estimate stands
  EXPECT_EQ(unreported.reserve(kStart, 100), milliseconds{1000});
}

TEST(EstimateTokensTest, FourCharactersPerTokenPlusMaxTokens) {
  ChatRequest request;
  request.messages = {{Role::system, std::string(40, 'a'), {}}, {Role::user, "abcd e", {}}};
  EXPECT_EQ(estimate_tokens(request), 12);  // 46 characters, rounded up
  request.max_tokens = 100;
  EXPECT_EQ(estimate_tokens(request), 112);
}

}  // namespace
}  // namespace opsgraph::llm::http
