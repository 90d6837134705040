#pragma once
// MockServerTest — a fixture that starts a MockLlmServer on an ephemeral port before each test
// and stops it after; helpers to add rules and make clients.

#include <gtest/gtest.h>

#include <memory>
#include <opsgraph/mock/llm_server.hpp>

#include "chat_client.hpp"

namespace opsgraph::mock::testing {

class MockServerTest : public ::testing::Test {
 protected:
  void SetUp() override { start(ServerOptions{}); }

  void start(const ServerOptions& options) {
    server_.reset();
    auto started = MockLlmServer::start(options);
    ASSERT_TRUE(started) << started.error().message;
    server_ = std::move(started.value());
  }

  void add_rule(Rule rule) {
    auto added = server_->add_rule(std::move(rule));
    ASSERT_TRUE(added) << added.error().message;
  }

  HttpClient client() { return HttpClient(server_->port()); }

  std::unique_ptr<MockLlmServer> server_;
};

/// A rule answering `content` to requests whose last user message contains `user_contains`.
inline Rule text_rule(std::string user_contains, std::string content) {
  Rule rule;
  rule.match.user_contains = std::move(user_contains);
  RuleResponse response;
  response.content = std::move(content);
  rule.responses.push_back(std::move(response));
  return rule;
}

}  // namespace opsgraph::mock::testing
