// The provider's own limits against the mock: the concurrency cap makes excess calls wait, and
// the client-side rate limiter paces calls or refuses those it cannot start in time.

#include <future>

#include "integration/llm/provider_fixture.hpp"

namespace opsgraph::llm::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

TEST_F(OpenAIProviderTest, ExcessCallsWaitForTheConcurrencyCap) {
  add_rule(slow_answer_rule("done", milliseconds{200}));
  auto cfg = config();
  cfg.max_concurrent = 2;
  auto p = provider(cfg);

  CallTally tally(6, "done");
  auto finished = tally.all_done.get_future();
  const auto started = steady_clock::now();
  for (int i = 0; i < 6; ++i)
    spawn(runtime_.executor(), call_and_count(p, ask("hello"), &tally));
  ASSERT_EQ(finished.wait_for(std::chrono::seconds{30}), std::future_status::ready);
  EXPECT_EQ(tally.succeeded.load(), 6);
  // Two at a time: three rounds of 200 ms at the least.
  EXPECT_GE(steady_clock::now() - started, milliseconds{600});
}

TEST_F(OpenAIProviderTest, ACallTheRateLimitCannotStartInTimeIsRefused) {
  auto cfg = config();
  cfg.requests_per_minute = 6;  // a burst of 6, then one every 10 s
  auto p = provider(cfg);
  for (int i = 0; i < 6; ++i) {
    const auto answer = chat(*p, ask("hello"));
    ASSERT_TRUE(answer) << answer.error().message;
  }
  ChatRequest hurried = ask("hello");
  hurried.timeout = milliseconds{300};
  const auto refused = chat(*p, hurried);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, errc::rate_limited);
  const json::Value* retry_after = refused.error().details.find("retry_after_seconds");
  ASSERT_NE(retry_after, nullptr);
  EXPECT_GT(retry_after->as_double(), 1.0);
  EXPECT_EQ(chat_requests(), 6u);  // refused without asking the server
}

TEST_F(OpenAIProviderTest, ReportedUsageCorrectsTheTokenBudget) {
  mock::Rule costly = answer_rule("expensive");
  costly.responses[0].usage = Usage{6050, 0, 6050};  // more than the whole minute's budget
  add_rule(costly);
  auto cfg = config();
  cfg.tokens_per_minute = 6000;  // 100 tokens a second
  auto p = provider(cfg);
  const auto first = chat(*p, ask("hello"));
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_LT(first.value().latency, milliseconds{400});  // the estimate was small
  const auto second = chat(*p, ask("hello"));
  ASSERT_TRUE(second) << second.error().message;
  // The ~50-token debt the first answer left takes about half a second to pay off.
  EXPECT_GE(second.value().latency, milliseconds{400});
  EXPECT_LT(second.value().latency, milliseconds{5000});
}

}  // namespace
}  // namespace opsgraph::llm::testing
