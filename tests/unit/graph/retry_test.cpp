#include <gtest/gtest.h>

#include <opsgraph/graph/retry.hpp>
#include <random>

namespace opsgraph::graph {
namespace {

using std::chrono::milliseconds;

TEST(RetryPolicyTest, BoundGrowsExponentiallyUpToTheCap) {
  RetryPolicy p{.max_attempts = 10,
                .initial_backoff = milliseconds{100},
                .multiplier = 2.0,
                .max_backoff = milliseconds{1000}};
  EXPECT_EQ(p.backoff_bound(1), milliseconds{100});
  EXPECT_EQ(p.backoff_bound(2), milliseconds{200});
  EXPECT_EQ(p.backoff_bound(3), milliseconds{400});
  EXPECT_EQ(p.backoff_bound(4), milliseconds{800});
  EXPECT_EQ(p.backoff_bound(5), milliseconds{1000});
  EXPECT_EQ(p.backoff_bound(5000), milliseconds{1000});  // no overflow far out
}

TEST(RetryPolicyTest, FullJitterStaysWithinTheBoundAndSpreadsOut) {
  RetryPolicy p{.max_attempts = 5, .initial_backoff = milliseconds{100}};
  std::mt19937_64 rng(7);
  milliseconds lowest{1'000'000}, highest{0};
  for (int i = 0; i < 2000; ++i) {
    auto d = p.backoff(2, rng());
    ASSERT_GE(d.count(), 0);
    ASSERT_LE(d, p.backoff_bound(2));
    lowest = std::min(lowest, d);
    highest = std::max(highest, d);
  }
  EXPECT_LT(lowest, milliseconds{20});    // full jitter reaches near zero...
  EXPECT_GT(highest, milliseconds{180});  // ...and near the bound
}

TEST(RetryPolicyTest, SameRandomValueSameDelay) {
  RetryPolicy p = RetryPolicy::attempts(3);
  EXPECT_EQ(p.max_attempts, 3);
  EXPECT_EQ(p.backoff(1, 12345), p.backoff(1, 12345));
}

}  // namespace
}  // namespace opsgraph::graph
