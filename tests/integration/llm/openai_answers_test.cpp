// What the provider makes of the mock's answers: plain and streamed, and every way an answer can
// be wrong. None of them crashes or hangs; the key never appears in what the provider reports.

#include <opsgraph/core/json.hpp>

#include "integration/llm/provider_fixture.hpp"

namespace opsgraph::llm::testing {
namespace {

using mock::FaultKind;

TEST_F(OpenAIProviderTest, StreamedAndPlainAnswersAgree) {
  add_rule(answer_rule("The disk is full: /var/log holds 40 GB of rotated logs."));
  auto p = provider(config());
  const auto plain = chat(*p, ask("why is the disk full?"));
  std::vector<std::string> deltas;
  const auto streamed = chat(*p, ask("why is the disk full?", true), nullptr, &deltas);
  ASSERT_TRUE(plain) << plain.error().message;
  ASSERT_TRUE(streamed) << streamed.error().message;
  EXPECT_EQ(plain.value().content, "The disk is full: /var/log holds 40 GB of rotated logs.");
  EXPECT_EQ(streamed.value().content, plain.value().content);
  EXPECT_EQ(streamed.value().finish_reason, plain.value().finish_reason);
  EXPECT_EQ(streamed.value().model, plain.value().model);
  std::string joined;
  for (const auto& d : deltas)
    joined += d;
  EXPECT_EQ(joined, plain.value().content);
  EXPECT_GT(deltas.size(), 1u);  // it really came in pieces
  EXPECT_GT(plain.value().usage.total_tokens, 0);
  EXPECT_EQ(plain.value().attempts, 1);
}

TEST_F(OpenAIProviderTest, ConnectionsAreReused) {
  auto p = provider(config());
  for (int i = 0; i < 5; ++i)
    ASSERT_TRUE(chat(*p, ask("hello")));
  EXPECT_EQ(server_->stats().open_connections, 1u);  // one kept-alive connection for all five
}

TEST_F(OpenAIProviderTest, MalformedJsonIsABadResponseAndNotRetried) {
  for (const bool stream : {false, true}) {
    server_->clear_rules();
    server_->reset_stats();
    add_rule(fault_rule({fault(FaultKind::malformed_json)}));
    auto p = provider(config());
    const auto answer = chat(*p, ask("hello", stream));
    ASSERT_FALSE(answer);
    EXPECT_EQ(answer.error().code, errc::bad_response) << answer.error().message;
    EXPECT_EQ(chat_requests(), 1u);
  }
}

TEST_F(OpenAIProviderTest, ATruncatedBodyIsRetriedAndReportedAsBadResponse) {
  add_rule(fault_rule({fault(FaultKind::truncated)}));
  auto p = provider(config());
  std::vector<Attempt> attempts;
  const auto recovered = chat(*p, ask("hello"), &attempts);
  ASSERT_TRUE(recovered) << recovered.error().message;
  ASSERT_EQ(attempts.size(), 2u);
  EXPECT_EQ(attempts[0].error->code, errc::bad_response);

  server_->clear_rules();
  add_rule(fault_rule({fault(FaultKind::truncated), fault(FaultKind::truncated)}));
  auto cfg = config();
  cfg.retry.max_attempts = 2;
  const auto failed = chat(*provider(cfg), ask("hello"));
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, errc::bad_response);
  EXPECT_NE(failed.error().message.find("cut short"), std::string::npos) << failed.error().message;
}

TEST_F(OpenAIProviderTest, AResetMidStreamFailsWithoutRepeatingDeltas) {
  add_rule(fault_rule({fault(FaultKind::reset_mid_stream)}));
  auto p = provider(config());
  std::vector<std::string> deltas;
  const auto answer = chat(*p, ask("hello", true), nullptr, &deltas);
  ASSERT_FALSE(answer);
  EXPECT_EQ(answer.error().code, errc::upstream_unavailable) << answer.error().message;
  EXPECT_EQ(chat_requests(), 1u);  // part of the answer reached the caller: no second attempt
}

TEST_F(OpenAIProviderTest, AResetBeforeAPlainAnswerIsRetried) {
  add_rule(fault_rule({fault(FaultKind::reset_mid_stream)}));
  auto p = provider(config());
  const auto answer = chat(*p, ask("hello"));
  ASSERT_TRUE(answer) << answer.error().message;
  EXPECT_EQ(answer.value().attempts, 2);
}

TEST_F(OpenAIProviderTest, AWrongContentTypeIsABadResponse) {
  add_rule(fault_rule({fault(FaultKind::wrong_content_type)}));
  auto p = provider(config());
  const auto answer = chat(*p, ask("hello"));
  ASSERT_FALSE(answer);
  EXPECT_EQ(answer.error().code, errc::bad_response);
  EXPECT_NE(answer.error().message.find("text/html"), std::string::npos) << answer.error().message;
  EXPECT_EQ(chat_requests(), 1u);
}

TEST_F(OpenAIProviderTest, AnAnswerOverTheSizeCapIsABadResponse) {
  add_rule(answer_rule(std::string(64 * 1024, 'x')));
  auto cfg = config();
  cfg.max_response_bytes = 16 * 1024;
  const auto answer = chat(*provider(cfg), ask("hello"));
  ASSERT_FALSE(answer);
  EXPECT_EQ(answer.error().code, errc::bad_response);
  EXPECT_NE(answer.error().message.find("max_response_bytes"), std::string::npos);
}

TEST_F(OpenAIProviderTest, TheKeyNeverAppearsInLogsErrorsOrAttempts) {
  add_rule(fault_rule({fault(FaultKind::server_error), fault(FaultKind::unauthorized)}));
  auto p = provider(config());
  std::vector<Attempt> attempts;
  const auto answer = chat(*p, ask("hello"), &attempts);
  ASSERT_FALSE(answer);
  EXPECT_EQ(answer.error().code, errc::unauthorized);

  std::vector<std::string> reported = logs_.lines();
  reported.push_back(answer.error().message);
  reported.push_back(json::dump(answer.error().details));
  for (const Attempt& attempt : attempts) {
    ASSERT_TRUE(attempt.error);
    reported.push_back(attempt.error->message);
    reported.push_back(json::dump(attempt.error->details));
  }
  EXPECT_GE(logs_.lines().size(), 2u);  // the retry and the failure were logged
  const std::string secret(kTestKey.substr(kTestKey.size() - 12));
  for (const std::string& text : reported)
    EXPECT_EQ(text.find(secret), std::string::npos) << text;
}

}  // namespace
}  // namespace opsgraph::llm::testing
