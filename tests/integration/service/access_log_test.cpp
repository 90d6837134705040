// The access log as operators read it: one JSON object per answered request, with the client's
// address taken from X-Forwarded-For only when the connecting peer is a trusted proxy.

#include <fstream>
#include <vector>

#include "service_fixture.hpp"

namespace opsgraph::service::testing {
namespace {

// Every line of the log, parsed; a line that is not JSON fails the test.
std::vector<json::Value> log_lines(const std::string& path) {
  std::vector<json::Value> lines;
  std::ifstream file(path);
  for (std::string line; std::getline(file, line);) {
    auto parsed = json::parse(line);
    EXPECT_TRUE(parsed) << line;
    if (parsed)
      lines.push_back(std::move(parsed).value());
  }
  return lines;
}

TEST_F(ServiceTest, TheAccessLogHasOneLinePerAnswerNamingTheKey) {
  const auto path = dir_.file("access.log");
  restart_service([&](ServiceConfig& config) { config.access_log = path; });
  ASSERT_EQ(call("GET", "/api/v1/tasks", {}, Role::viewer).status, 200u);
  ASSERT_EQ(call("GET", "/api/v1/tasks/nope", {}, Role::viewer).status, 404u);
  ASSERT_EQ(call("GET", "/healthz", {}, std::nullopt).status, 200u);
  service_.reset();  // flushes and closes the file

  const auto lines = log_lines(path);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(text_of(lines[0], "method"), "GET");
  EXPECT_EQ(text_of(lines[0], "path"), "/api/v1/tasks");
  EXPECT_EQ(text_of(lines[0], "route"), "/api/v1/tasks");
  EXPECT_EQ(*lines[0].find("status"), json::Value(200));
  EXPECT_EQ(text_of(lines[0], "key"), key_id(Role::viewer));
  EXPECT_EQ(text_of(lines[0], "remote"), "127.0.0.1");
  EXPECT_EQ(text_of(lines[1], "route"), "/api/v1/tasks/{id}");
  EXPECT_EQ(*lines[1].find("status"), json::Value(404));
  EXPECT_EQ(text_of(lines[2], "key"), "") << "an operational route takes no key";
}

TEST_F(ServiceTest, ATrustedProxysForwardedForNamesTheClient) {
  const auto path = dir_.file("access.log");
  restart_service([&](ServiceConfig& config) {
    config.access_log = path;
    config.trusted_proxies = {"127.0.0.1", "10.0.0.2"};
  });
  const std::vector<std::pair<std::string, std::string>> sent{
      {"203.0.113.7", "203.0.113.7"},
      {"198.51.100.1, 203.0.113.7, 10.0.0.2", "203.0.113.7"},  // the proxies' own hops skipped
      {"2001:db8::0:1", "2001:db8::1"},
      {"not-an-address, 203.0.113.7", "203.0.113.7"},
      {"203.0.113.7, not-an-address", "127.0.0.1"},  // nothing left of garbage is believed
  };
  for (const auto& [forwarded_for, client] : sent) {
    ASSERT_EQ(
        call("GET", "/healthz", {}, std::nullopt, {{"X-Forwarded-For", forwarded_for}}).status,
        200u);
  }
  ASSERT_EQ(call("GET", "/healthz", {}, std::nullopt).status, 200u);
  service_.reset();

  const auto lines = log_lines(path);
  ASSERT_EQ(lines.size(), sent.size() + 1);
  for (std::size_t i = 0; i < sent.size(); ++i) {
    EXPECT_EQ(text_of(lines[i], "remote"), sent[i].second) << "X-Forwarded-For: " << sent[i].first;
    EXPECT_EQ(text_of(lines[i], "peer"), "127.0.0.1");
  }
  EXPECT_EQ(text_of(lines.back(), "remote"), "127.0.0.1") << "no header: the peer";
}

TEST_F(ServiceTest, ForwardedForFromAnUntrustedPeerIsIgnored) {
  const auto path = dir_.file("access.log");
  restart_service([&](ServiceConfig& config) { config.access_log = path; });
  ASSERT_EQ(call("GET", "/healthz", {}, std::nullopt, {{"X-Forwarded-For", "203.0.113.7"}}).status,
            200u);
  service_.reset();
  const auto lines = log_lines(path);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(text_of(lines[0], "remote"), "127.0.0.1");
}

}  // namespace
}  // namespace opsgraph::service::testing
