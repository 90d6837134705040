// The access log as operators read it: one JSON object per answered request, with the client's
// address taken from X-Forwarded-For only when the connecting peer is a trusted proxy.

#include <algorithm>
#include <fstream>
#include <string>
#include <string_view>
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

// A line is written once its answer has been sent, and the client may have its answer, and send
// its next request, before the server gets that far: lines of consecutive requests can come in
// either order, so they are found by what they log.
const json::Value& line_for(const std::vector<json::Value>& lines, std::string_view path) {
  static const json::Value kNone;
  for (const auto& line : lines) {
    if (text_of(line, "path") == path)
      return line;
  }
  ADD_FAILURE() << "no line for " << path;
  return kNone;
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
  const auto& listed = line_for(lines, "/api/v1/tasks");
  ASSERT_TRUE(listed.is_object());
  EXPECT_EQ(text_of(listed, "method"), "GET");
  EXPECT_EQ(text_of(listed, "route"), "/api/v1/tasks");
  EXPECT_EQ(*listed.find("status"), json::Value(200));
  EXPECT_EQ(text_of(listed, "key"), key_id(Role::viewer));
  EXPECT_EQ(text_of(listed, "remote"), "127.0.0.1");
  const auto& missing = line_for(lines, "/api/v1/tasks/nope");
  ASSERT_TRUE(missing.is_object());
  EXPECT_EQ(text_of(missing, "route"), "/api/v1/tasks/{id}");
  EXPECT_EQ(*missing.find("status"), json::Value(404));
  const auto& health = line_for(lines, "/healthz");
  ASSERT_TRUE(health.is_object());
  EXPECT_EQ(text_of(health, "key"), "") << "an operational route takes no key";
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

  // The lines may come in another order than the requests (see line_for): the clients named
  // are compared as a multiset.
  const auto lines = log_lines(path);
  ASSERT_EQ(lines.size(), sent.size() + 1);
  std::vector<std::string> expected{"127.0.0.1"};  // no header: the peer
  for (const auto& [forwarded_for, client] : sent)
    expected.push_back(client);
  std::vector<std::string> logged;
  for (const auto& line : lines) {
    logged.emplace_back(text_of(line, "remote"));
    EXPECT_EQ(text_of(line, "peer"), "127.0.0.1");
  }
  std::sort(expected.begin(), expected.end());
  std::sort(logged.begin(), logged.end());
  EXPECT_EQ(logged, expected);
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
