// TLS against the mock with a certificate made at test time: verification is on by default, so
// an unknown CA fails with a certificate error, and trusting the test CA through ca_file works.

#include "integration/llm/provider_fixture.hpp"
#include "support/test_ca.hpp"

namespace opsgraph::llm::testing {
namespace {

class OpenAIProviderTlsTest : public OpenAIProviderTest {
 protected:
  void SetUp() override {
    ca_ = opsgraph::testing::TestCa::create();
    ASSERT_TRUE(ca_);
    mock::ServerOptions options;
    options.cert_file = ca_->server_cert();
    options.key_file = ca_->server_key();
    start_server(options);
    ASSERT_TRUE(server_->base_url().starts_with("https://"));
  }

  std::optional<opsgraph::testing::TestCa> ca_;
};

TEST_F(OpenAIProviderTlsTest, AnUnknownCaFailsWithACertificateError) {
  auto cfg = config();
  cfg.retry.max_attempts = 3;
  std::vector<Attempt> attempts;
  const auto answer = chat(*provider(cfg), ask("hello"), &attempts);
  ASSERT_FALSE(answer);
  EXPECT_EQ(answer.error().code, errc::upstream_unavailable);
  EXPECT_NE(answer.error().message.find("certificate could not be verified"), std::string::npos)
      << answer.error().message;
  EXPECT_NE(answer.error().message.find("ca_file"), std::string::npos);
  EXPECT_EQ(attempts.size(), 1u);  // a certificate does not get better by asking again
}

TEST_F(OpenAIProviderTlsTest, TrustingTheTestCaWorks) {
  auto cfg = config();
  cfg.ca_file = ca_->ca_cert();
  const auto plain = chat(*provider(cfg), ask("hello"));
  ASSERT_TRUE(plain) << plain.error().message;
  EXPECT_FALSE(plain.value().content.empty());
  std::vector<std::string> deltas;
  const auto streamed = chat(*provider(cfg), ask("hello", true), nullptr, &deltas);
  ASSERT_TRUE(streamed) << streamed.error().message;
  EXPECT_FALSE(deltas.empty());
}

TEST_F(OpenAIProviderTlsTest, TurningVerificationOffIsLoggedAsAWarning) {
  auto cfg = config();
  cfg.verify_tls = false;
  const auto answer = chat(*provider(cfg), ask("hello"));
  ASSERT_TRUE(answer) << answer.error().message;
  bool warned = false;
  for (const std::string& line : logs_.lines())
    warned = warned ||
             line.find("warn llm msg=\"TLS certificate verification is off") != std::string::npos;
  EXPECT_TRUE(warned);
}

}  // namespace
}  // namespace opsgraph::llm::testing
