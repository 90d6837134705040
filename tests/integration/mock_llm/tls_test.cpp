// HTTPS with a throwaway CA: a client that trusts the CA gets answers, one that does not is
// refused at the handshake; bad TLS and bind options fail start() with clear errors.

#include <gtest/gtest.h>

#include <opsgraph/mock/llm_server.hpp>

#include "chat_client.hpp"
#include "support/test_ca.hpp"

namespace opsgraph::mock::testing {
namespace {

class MockTlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ca_ = opsgraph::testing::TestCa::create();
    ASSERT_TRUE(ca_);
    ServerOptions options;
    options.cert_file = ca_->server_cert();
    options.key_file = ca_->server_key();
    auto started = MockLlmServer::start(options);
    ASSERT_TRUE(started) << started.error().message;
    server_ = std::move(started.value());
  }

  std::optional<opsgraph::testing::TestCa> ca_;
  std::unique_ptr<MockLlmServer> server_;
};

TEST_F(MockTlsTest, ClientTrustingTheCaGetsAnswers) {
  EXPECT_EQ(server_->base_url(), "https://127.0.0.1:" + std::to_string(server_->port()) + "/v1");
  ClientOptions options;
  options.tls = true;
  options.ca_file = ca_->ca_cert();
  HttpClient client(server_->port(), options);
  ASSERT_FALSE(client.connect_error()) << client.connect_error().message();
  auto reply = client.post("/v1/chat/completions", chat_body("m", "over tls"));
  EXPECT_EQ(reply.status, 200u);
  EXPECT_NE(reply.body.find("Mock answer to: over tls"), std::string::npos);
  auto streamed =
      client.post("/v1/chat/completions", chat_body("m", "x", json::Object{{"stream", true}}));
  EXPECT_EQ(sse_data(streamed.body).back(), "[DONE]");
}

TEST_F(MockTlsTest, ClientNotTrustingTheCaFailsVerification) {
  ClientOptions options;
  options.tls = true;
  HttpClient client(server_->port(), options);
  EXPECT_TRUE(client.connect_error());
  EXPECT_NE(client.connect_error().message().find("certificate verify failed"), std::string::npos)
      << client.connect_error().message();
}

TEST_F(MockTlsTest, PlainHttpToTheTlsPortGetsNoAnswer) {
  HttpClient client(server_->port());
  auto reply = client.post("/v1/chat/completions", chat_body("m", "x"));
  EXPECT_TRUE(reply.error);
  EXPECT_EQ(reply.status, 0u);
}

TEST(MockServerOptions, RefusesWhatItCannotServe) {
  ServerOptions elsewhere;
  elsewhere.host = "0.0.0.0";
  auto started = MockLlmServer::start(elsewhere);
  ASSERT_FALSE(started);
  EXPECT_EQ(started.error().code, errc::invalid_argument);

  ServerOptions half_tls;
  half_tls.cert_file = "/etc/hostname";
  started = MockLlmServer::start(half_tls);
  ASSERT_FALSE(started);
  EXPECT_EQ(started.error().code, errc::invalid_argument);

  ServerOptions missing;
  missing.cert_file = "/nonexistent/cert.pem";
  missing.key_file = "/nonexistent/key.pem";
  started = MockLlmServer::start(missing);
  ASSERT_FALSE(started);
  EXPECT_EQ(started.error().code, errc::not_found);

  ServerOptions not_pem;
  not_pem.cert_file = "/etc/hostname";
  not_pem.key_file = "/etc/hostname";
  started = MockLlmServer::start(not_pem);
  ASSERT_FALSE(started);
  EXPECT_EQ(started.error().code, errc::invalid_argument);
  EXPECT_NE(started.error().message.find("/etc/hostname"), std::string::npos);
}

TEST(MockServerOptions, PortInUseIsAnError) {
  auto first = MockLlmServer::start(ServerOptions{});
  ASSERT_TRUE(first);
  ServerOptions same;
  same.port = first.value()->port();
  auto second = MockLlmServer::start(same);
  ASSERT_FALSE(second);
  EXPECT_NE(second.error().message.find(std::to_string(same.port)), std::string::npos);
}

}  // namespace
}  // namespace opsgraph::mock::testing
