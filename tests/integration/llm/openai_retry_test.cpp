// Retries against the mock: which failures are tried again, how long the provider waits, and
// what a call reports when it gives up.

#include <chrono>
#include <future>
#include <thread>

#include "integration/llm/provider_fixture.hpp"

namespace opsgraph::llm::testing {
namespace {

using mock::FaultKind;
using std::chrono::milliseconds;
using std::chrono::steady_clock;

TEST_F(OpenAIProviderTest, RateLimitedThenSuccessWaitsForRetryAfter) {
  mock::Fault limited = fault(FaultKind::rate_limited);
  limited.retry_after_seconds = 1;
  add_rule(fault_rule({limited}));
  auto p = provider(config());
  std::vector<Attempt> attempts;
  const auto started = steady_clock::now();
  const auto answer = chat(*p, ask("hello"), &attempts);
  const auto took = steady_clock::now() - started;

  ASSERT_TRUE(answer) << answer.error().message;
  EXPECT_EQ(answer.value().attempts, 2);
  EXPECT_EQ(chat_requests(), 2u);
  ASSERT_EQ(attempts.size(), 2u);
  EXPECT_EQ(attempts[0].http_status, 429);
  ASSERT_TRUE(attempts[0].error);
  EXPECT_EQ(attempts[0].error->code, errc::rate_limited);
  ASSERT_TRUE(attempts[0].retry_in);
  EXPECT_GE(*attempts[0].retry_in, milliseconds{1000});  // the hint beats the 50 ms backoff cap
  EXPECT_EQ(attempts[1].http_status, 200);
  EXPECT_FALSE(attempts[1].error);
  EXPECT_GE(took, milliseconds{1000});
  EXPECT_LT(took, milliseconds{5000});
  EXPECT_GE(answer.value().latency, milliseconds{1000});
}

TEST_F(OpenAIProviderTest, ServerErrorsThenSuccess) {
  add_rule(fault_rule({fault(FaultKind::server_error), fault(FaultKind::unavailable)}));
  auto p = provider(config());
  std::vector<Attempt> attempts;
  const auto answer = chat(*p, ask("hello"), &attempts);
  ASSERT_TRUE(answer) << answer.error().message;
  EXPECT_EQ(answer.value().attempts, 3);
  EXPECT_EQ(chat_requests(), 3u);
  ASSERT_EQ(attempts.size(), 3u);
  EXPECT_EQ(attempts[0].http_status, 500);
  EXPECT_EQ(attempts[1].http_status, 503);
  EXPECT_EQ(attempts[2].http_status, 200);
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(attempts[i].retry_in);
    EXPECT_LE(*attempts[i].retry_in, milliseconds{50});  // the configured cap
  }
  EXPECT_FALSE(attempts[2].retry_in);
}

TEST_F(OpenAIProviderTest, ATotalTimeoutShorterThanAnAttemptStillAllowsRetries) {
  // Every attempt is then bounded by the call's deadline; only a timeout on it ends the call.
  add_rule(fault_rule({fault(FaultKind::unavailable)}));
  auto cfg = config();
  cfg.total_timeout = milliseconds{5000};
  cfg.attempt_timeout = milliseconds{60'000};
  auto p = provider(cfg);
  const auto answer = chat(*p, ask("hello"));
  ASSERT_TRUE(answer) << answer.error().message;
  EXPECT_EQ(answer.value().attempts, 2);
}

TEST_F(OpenAIProviderTest, ExhaustedRetriesReturnTheLastError) {
  add_rule(fault_rule({fault(FaultKind::server_error), fault(FaultKind::server_error),
                       fault(FaultKind::unavailable)}));
  auto cfg = config();
  cfg.retry.max_attempts = 3;
  auto p = provider(cfg);
  std::vector<Attempt> attempts;
  const auto answer = chat(*p, ask("hello"), &attempts);
  ASSERT_FALSE(answer);
  EXPECT_EQ(answer.error().code, errc::upstream_unavailable);
  EXPECT_EQ(answer.error().details.find("http_status")->as_double(), 503.0);
  EXPECT_EQ(answer.error().details.find("attempts")->as_double(), 3.0);
  EXPECT_FALSE(answer.error().retryable);  // final: a node's retry policy leaves it alone
  EXPECT_EQ(chat_requests(), 3u);
  ASSERT_EQ(attempts.size(), 3u);
  EXPECT_FALSE(attempts.back().retry_in);
}

TEST_F(OpenAIProviderTest, ExhaustedRateLimitCarriesRetryAfter) {
  mock::Fault limited = fault(FaultKind::rate_limited);
  limited.retry_after_seconds = 1;
  add_rule(fault_rule({limited, limited}));
  auto cfg = config();
  cfg.retry.max_attempts = 2;
  auto p = provider(cfg);
  const auto answer = chat(*p, ask("hello"));
  ASSERT_FALSE(answer);
  EXPECT_EQ(answer.error().code, errc::rate_limited);
  const json::Value* retry_after = answer.error().details.find("retry_after_seconds");
  ASSERT_NE(retry_after, nullptr);
  EXPECT_GE(retry_after->as_double(), 1.0);
  EXPECT_EQ(chat_requests(), 2u);
}

TEST_F(OpenAIProviderTest, ClientErrorsAreNeverRetried) {
  const std::pair<FaultKind, errc> cases[] = {{FaultKind::bad_request, errc::invalid_argument},
                                              {FaultKind::unauthorized, errc::unauthorized}};
  for (const auto& [kind, code] : cases) {
    server_->clear_rules();
    server_->reset_stats();
    add_rule(fault_rule({fault(kind), fault(kind), fault(kind)}));
    auto p = provider(config());
    std::vector<Attempt> attempts;
    const auto answer = chat(*p, ask("hello"), &attempts);
    ASSERT_FALSE(answer);
    EXPECT_EQ(answer.error().code, code);
    EXPECT_EQ(chat_requests(), 1u) << to_string(code);
    ASSERT_EQ(attempts.size(), 1u);
    EXPECT_FALSE(attempts[0].retry_in);
  }
}

// The server's first call hangs; the provider's attempts time out after `attempt_timeout`.
class HangingFirstCallTest : public OpenAIProviderTest {
 protected:
  std::shared_ptr<Provider> provider_timing_out_after(milliseconds attempt_timeout) {
    add_rule(fault_rule({fault(FaultKind::hang)}));
    auto cfg = config();
    cfg.attempt_timeout = attempt_timeout;
    return provider(cfg);
  }
};

TEST_F(HangingFirstCallTest, AHangingAttemptTimesOutAndIsRetried) {
  auto p = provider_timing_out_after(milliseconds{300});
  std::vector<Attempt> attempts;
  const auto answer = chat(*p, ask("hello"), &attempts);
  ASSERT_TRUE(answer) << answer.error().message;
  EXPECT_EQ(answer.value().attempts, 2);
  ASSERT_EQ(attempts.size(), 2u);
  ASSERT_TRUE(attempts[0].error);
  EXPECT_EQ(attempts[0].error->code, errc::timeout);
  EXPECT_EQ(attempts[0].http_status, 0);
  EXPECT_GE(attempts[0].elapsed, milliseconds{250});
}

// A call that hangs holds up no other: the next one is answered at once, on a connection of its
// own. And when that call, whose deadline was nearer, ends, curl's nearest deadline moves later:
// the provider's timer, armed for the nearer one, must then wait again for the later one rather
// than forget it, or the hanging attempt would never time out.
TEST_F(HangingFirstCallTest, AHangingCallHoldsUpNoOtherAndStillTimesOut) {
  auto p = provider_timing_out_after(milliseconds{800});
  std::vector<Attempt> attempts;
  auto hanging = std::async(std::launch::async, [&] { return chat(*p, ask("slow"), &attempts); });
  std::this_thread::sleep_for(milliseconds{100});  // the hanging request reaches the server first

  ChatRequest quick = ask("fast");
  quick.timeout = milliseconds{300};  // a deadline nearer than the hanging attempt's
  const auto answered = chat(*p, quick);
  ASSERT_TRUE(answered) << answered.error().message;

  ASSERT_EQ(hanging.wait_for(std::chrono::seconds{10}), std::future_status::ready);
  const auto answer = hanging.get();
  ASSERT_TRUE(answer) << answer.error().message;
  EXPECT_EQ(answer.value().attempts, 2);
  ASSERT_FALSE(attempts.empty());
  ASSERT_TRUE(attempts[0].error);
  EXPECT_EQ(attempts[0].error->code, errc::timeout);
  EXPECT_GE(attempts[0].elapsed, milliseconds{750});
}

TEST_F(OpenAIProviderTest, TheTotalTimeoutEndsTheCall) {
  add_rule(fault_rule({fault(FaultKind::hang), fault(FaultKind::hang), fault(FaultKind::hang)}));
  auto cfg = config();
  cfg.total_timeout = milliseconds{500};
  auto p = provider(cfg);
  const auto started = steady_clock::now();
  const auto answer = chat(*p, ask("hello"));
  const auto took = steady_clock::now() - started;
  ASSERT_FALSE(answer);
  EXPECT_EQ(answer.error().code, errc::timeout);
  EXPECT_NE(answer.error().message.find("total timeout of 500 ms"), std::string::npos)
      << answer.error().message;
  EXPECT_GE(took, milliseconds{450});
  EXPECT_LT(took, milliseconds{3000});
}

TEST_F(OpenAIProviderTest, ARequestTimeoutOverridesTheConfiguredTotal) {
  add_rule(fault_rule({fault(FaultKind::hang)}));
  auto p = provider(config());
  ChatRequest request = ask("hello");
  request.timeout = milliseconds{200};
  const auto answer = chat(*p, request);
  ASSERT_FALSE(answer);
  EXPECT_EQ(answer.error().code, errc::timeout);
}

TEST_F(OpenAIProviderTest, ConnectionRefusedIsRetriedThenUpstreamUnavailable) {
  const std::string url = server_->base_url();
  server_->stop();  // nothing listens on the port any more
  auto cfg = config();
  cfg.base_url = url;
  cfg.retry.max_attempts = 3;
  auto p = provider(cfg);
  std::vector<Attempt> attempts;
  const auto answer = chat(*p, ask("hello"), &attempts);
  ASSERT_FALSE(answer);
  EXPECT_EQ(answer.error().code, errc::upstream_unavailable);
  EXPECT_EQ(attempts.size(), 3u);
}

}  // namespace
}  // namespace opsgraph::llm::testing
