// OpenAIConfig: validation names the bad field, printing never shows the key, and the endpoint
// is built right for OpenAI, Azure and local servers.

#include <gtest/gtest.h>
#include <stdlib.h>

#include <boost/asio/io_context.hpp>
#include <opsgraph/llm/openai.hpp>

#include "llm/http/endpoint.hpp"

namespace opsgraph::llm {
namespace {

using std::chrono::milliseconds;

constexpr std::string_view kKey = "sk-test-0123456789abcdefSECRET";

/// Sets an environment variable for one test and restores it afterwards.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name))
      old_ = old;
    if (value != nullptr)
      ::setenv(name, value, 1);
    else
      ::unsetenv(name);
  }
  ~ScopedEnv() {
    if (old_)
      ::setenv(name_, old_->c_str(), 1);
    else
      ::unsetenv(name_);
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

void expect_invalid(const OpenAIConfig& config, std::string_view field) {
  const auto checked = validate(config);
  ASSERT_FALSE(checked) << field;
  EXPECT_EQ(checked.error().code, errc::invalid_argument);
  EXPECT_NE(checked.error().message.find(field), std::string::npos) << checked.error().message;
  EXPECT_EQ(*checked.error().details.find("field")->if_string(), field);
}

TEST(OpenAIConfigTest, DefaultsAreValid) {
  EXPECT_TRUE(validate(OpenAIConfig{}));
  EXPECT_TRUE(validate(OpenAIConfig{.base_url = "HTTP://127.0.0.1:11434/v1", .model = "llama3"}));
}

TEST(OpenAIConfigTest, ValidationNamesTheField) {
  expect_invalid(OpenAIConfig{.base_url = "ftp://example.com"}, "base_url");
  expect_invalid(OpenAIConfig{.base_url = "api.openai.com/v1"}, "base_url");
  expect_invalid(OpenAIConfig{.connect_timeout = milliseconds{0}}, "connect_timeout");
  expect_invalid(OpenAIConfig{.attempt_timeout = milliseconds{-1}}, "attempt_timeout");
  expect_invalid(OpenAIConfig{.total_timeout = milliseconds{0}}, "total_timeout");
  expect_invalid(OpenAIConfig{.max_concurrent = 0}, "max_concurrent");
  expect_invalid(OpenAIConfig{.requests_per_minute = -1}, "requests_per_minute");
  expect_invalid(OpenAIConfig{.tokens_per_minute = -5}, "tokens_per_minute");
  expect_invalid(OpenAIConfig{.retry = {.max_attempts = 0}}, "retry.max_attempts");
  expect_invalid(OpenAIConfig{.retry = {.base_delay = milliseconds{-1}}}, "retry.base_delay");
  expect_invalid(OpenAIConfig{.max_response_bytes = 0}, "max_response_bytes");
  expect_invalid(OpenAIConfig{.user_agent = "x\r\nInjected: 1"}, "user_agent");
}

TEST(OpenAIConfigTest, AKeyWithALineBreakIsRejectedWithoutQuotingIt) {
  OpenAIConfig config{.api_key = std::string(kKey) + "\r\nX-Evil: 1"};
  const auto checked = validate(config);
  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.error().message.find("SECRET"), std::string::npos);
}

TEST(OpenAIConfigTest, FactoryRejectsABadConfig) {
  boost::asio::io_context io;
  const auto provider =
      make_openai_provider(io.get_executor(), OpenAIConfig{.base_url = "file:///etc/passwd"});
  ASSERT_FALSE(provider);
  EXPECT_EQ(provider.error().code, errc::invalid_argument);
  EXPECT_NE(provider.error().message.find("base_url"), std::string::npos);
}

TEST(OpenAIConfigTest, PrintingRedactsTheKeyAndUrlCredentials) {
  OpenAIConfig config{.base_url = "https://user:hunter2@llm.internal/v1?token=abc",
                      .api_key = std::string(kKey)};
  const std::string printed = to_string(config);
  EXPECT_EQ(printed.find("SECRET"), std::string::npos) << printed;
  EXPECT_EQ(printed.find("hunter2"), std::string::npos) << printed;
  EXPECT_EQ(printed.find("token=abc"), std::string::npos) << printed;
  EXPECT_NE(printed.find("api_key=<set>"), std::string::npos) << printed;
  EXPECT_NE(printed.find("base_url=https://llm.internal/v1"), std::string::npos) << printed;
  EXPECT_NE(to_string(OpenAIConfig{}).find("api_key=<none>"), std::string::npos);
}

TEST(EndpointTest, OpenAIUsesABearerKeyAndItsHeaders) {
  const auto endpoint = http::make_endpoint(
      OpenAIConfig{.api_key = std::string(kKey), .organization = "org-1", .project = "proj-1"});
  ASSERT_TRUE(endpoint) << endpoint.error().message;
  EXPECT_EQ(endpoint.value().url, "https://api.openai.com/v1/chat/completions");
  EXPECT_EQ(endpoint.value().headers,
            (std::vector<std::string>{"Authorization: Bearer " + std::string(kKey),
                                      "OpenAI-Organization: org-1", "OpenAI-Project: proj-1"}));
}

TEST(EndpointTest, AzureTakesApiVersionAndAnApiKeyHeader) {
  const auto endpoint = http::make_endpoint(
      OpenAIConfig{.base_url = "https://res.openai.azure.com/openai/deployments/gpt4o/",
                   .api_key = "azure-key",
                   .api_version = "2024-06-01"});
  ASSERT_TRUE(endpoint) << endpoint.error().message;
  EXPECT_EQ(endpoint.value().url,
            "https://res.openai.azure.com/openai/deployments/gpt4o/chat/completions"
            "?api-version=2024-06-01");
  EXPECT_EQ(endpoint.value().display_url,
            "https://res.openai.azure.com/openai/deployments/gpt4o/chat/completions");
  EXPECT_EQ(endpoint.value().headers, (std::vector<std::string>{"api-key: azure-key"}));
}

TEST(EndpointTest, KeyFromTheEnvironmentOrNone) {
  {
    ScopedEnv env("OPENAI_API_KEY", "sk-from-env");
    const auto endpoint = http::make_endpoint(OpenAIConfig{});
    ASSERT_TRUE(endpoint);
    EXPECT_EQ(endpoint.value().headers,
              (std::vector<std::string>{"Authorization: Bearer sk-from-env"}));
  }
  ScopedEnv env("OPENAI_API_KEY", nullptr);
  const auto endpoint = http::make_endpoint(OpenAIConfig{.base_url = "http://127.0.0.1:8080/v1"});
  ASSERT_TRUE(endpoint);
  EXPECT_FALSE(endpoint.value().has_key);
  EXPECT_TRUE(endpoint.value().headers.empty());
  EXPECT_EQ(endpoint.value().url, "http://127.0.0.1:8080/v1/chat/completions");
}

TEST(EndpointTest, DisplayUrlDropsCredentialsAndQuery) {
  EXPECT_EQ(http::url_for_display("https://u:p@host:8443/v1?key=1#x"), "https://host:8443/v1");
  EXPECT_EQ(http::url_for_display("http://host/a@b"), "http://host/a@b");
  EXPECT_EQ(http::url_for_display("not a url"), "not a url");
}

}  // namespace
}  // namespace opsgraph::llm
