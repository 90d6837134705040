// Retry-After and x-ratelimit-reset hints, and the seeded full-jitter backoff.

#include "llm/http/retry_timing.hpp"

#include <gtest/gtest.h>

#include <set>

namespace opsgraph::llm::http {
namespace {

using std::chrono::milliseconds;

SystemClock::time_point at(std::int64_t unix_seconds) {
  return SystemClock::time_point{std::chrono::seconds{unix_seconds}};
}

// 2015-10-21T07:28:00Z, the date RFC 9110 uses as its example.
constexpr std::int64_t kOct21 = 1445412480;

TEST(RetryAfterTest, DeltaSeconds) {
  EXPECT_EQ(parse_retry_after("0", at(0)), milliseconds{0});
  EXPECT_EQ(parse_retry_after("3", at(0)), milliseconds{3000});
  EXPECT_EQ(parse_retry_after("120", at(0)), milliseconds{120'000});
}

TEST(RetryAfterTest, HttpDateRelativeToNow) {
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", at(kOct21 - 30)),
            milliseconds{30'000});
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", at(kOct21 + 5)), milliseconds{0});
}

TEST(RetryAfterTest, RejectsWhatIsNeither) {
  for (const char* bad : {"", "-1", "1.5", "soon", "Wed, 21 Oct 2015 07:28:00",
                          "Wed, 32 Oct 2015 "
                          "07:28:00 GMT",
                          "Wed, 21 Foo 2015 07:28:00 GMT", "21 Oct 2015"}) {
    EXPECT_EQ(parse_retry_after(bad, at(kOct21)), std::nullopt) << bad;
  }
}

TEST(ResetDurationTest, GoDurations) {
  EXPECT_EQ(parse_reset_duration("1s"), milliseconds{1000});
  EXPECT_EQ(parse_reset_duration("6m0s"), milliseconds{360'000});
  EXPECT_EQ(parse_reset_duration("20ms"), milliseconds{20});
  EXPECT_EQ(parse_reset_duration("1h2m3.5s"), milliseconds{3'723'500});
  EXPECT_EQ(parse_reset_duration("0.5"), milliseconds{500});
  EXPECT_EQ(parse_reset_duration("1500us"), milliseconds{2});  // rounded up, never early
}

TEST(ResetDurationTest, RejectsMalformed) {
  for (const char* bad : {"", "s", "1x", "1s2", "-1s", "1 s", "ms"})
    EXPECT_EQ(parse_reset_duration(bad), std::nullopt) << bad;
}

TEST(ServerRetryHintTest, TakesTheLongestHint) {
  ResponseHeaders headers;
  headers.add_line("Retry-After: 2\r\n");
  headers.add_line("x-ratelimit-reset-requests: 1s\r\n");
  headers.add_line("X-RateLimit-Reset-Tokens: 6m0s\r\n");
  EXPECT_EQ(server_retry_hint(headers, at(0)), milliseconds{360'000});
}

TEST(ServerRetryHintTest, RetryAfterMsAndNone) {
  ResponseHeaders headers;
  EXPECT_EQ(server_retry_hint(headers, at(0)), std::nullopt);
  headers.add_line("retry-after-ms: 250");
  EXPECT_EQ(server_retry_hint(headers, at(0)), milliseconds{250});
  headers.add_line("retry-after: nonsense");
  EXPECT_EQ(server_retry_hint(headers, at(0)), milliseconds{250});
}

TEST(BackoffTest, BoundDoublesUpToTheCap) {
  Backoff backoff(OpenAIRetryPolicy{.max_attempts = 10,
                                    .base_delay = milliseconds{100},
                                    .max_delay = milliseconds{1000},
                                    .jitter_seed = 1});
  EXPECT_EQ(backoff.bound(1), milliseconds{100});
  EXPECT_EQ(backoff.bound(2), milliseconds{200});
  EXPECT_EQ(backoff.bound(4), milliseconds{800});
  EXPECT_EQ(backoff.bound(5), milliseconds{1000});
  EXPECT_EQ(backoff.bound(10'000), milliseconds{1000});
}

TEST(BackoffTest, SameSeedSameScheduleAndFullJitter) {
  const OpenAIRetryPolicy policy{
      .base_delay = milliseconds{100}, .max_delay = milliseconds{10'000}, .jitter_seed = 42};
  Backoff first(policy), second(policy);
  std::set<std::int64_t> distinct;
  for (int retry = 1; retry <= 200; ++retry) {
    const int step = 1 + retry % 4;
    const auto delay = first.next(step);
    EXPECT_EQ(delay, second.next(step));
    EXPECT_GE(delay.count(), 0);
    EXPECT_LE(delay, first.bound(step));
    distinct.insert(delay.count());
  }
  EXPECT_GT(distinct.size(), 50u);  // jittered, not a constant

  OpenAIRetryPolicy other = policy;
  other.jitter_seed = 43;
  Backoff third(policy), fourth(other);
  int same = 0;
  for (int i = 0; i < 20; ++i)
    same += third.next(4) == fourth.next(4) ? 1 : 0;
  EXPECT_LT(same, 5);
}

}  // namespace
}  // namespace opsgraph::llm::http
