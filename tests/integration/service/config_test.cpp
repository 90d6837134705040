// ServiceConfig from the engine config's "server" member and the environment: defaults, every
// field read, overrides, and a clear error naming the field for each bad value.

#include <gtest/gtest.h>

#include <map>
#include <opsgraph/engine/config.hpp>
#include <opsgraph/service/service_config.hpp>
#include <string>

namespace opsgraph::service {
namespace {

engine::Environment environment(std::map<std::string, std::string> values = {}) {
  return [values = std::move(values)](std::string_view name) -> std::optional<std::string> {
    const auto found = values.find(std::string(name));
    if (found == values.end())
      return std::nullopt;
    return found->second;
  };
}

result<ServiceConfig> config_of(const std::string& server_json,
                                std::map<std::string, std::string> env = {}) {
  auto engine_config = engine::parse_config(R"({"server": )" + server_json + "}", "opsgraph.json");
  if (!engine_config)
    return fail(engine_config.error());
  return service_config_from(engine_config.value(), environment(std::move(env)));
}

// The message of a config that must be refused; "" when it was taken.
std::string refusal(const std::string& server_json, std::map<std::string, std::string> env = {}) {
  auto config = config_of(server_json, std::move(env));
  if (config)
    return "";
  EXPECT_EQ(config.error().code, errc::invalid_argument);
  return config.error().message;
}

TEST(ServiceConfigTest, NoServerMemberMeansTheDefaults) {
  auto config = service_config_from(engine::EngineConfig{}, environment());
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config.value().host, "127.0.0.1");
  EXPECT_EQ(config.value().port, 8080);
  EXPECT_EQ(config.value().write_timeout_ms, 30'000);
  EXPECT_EQ(config.value().rate_limit.per_second, 50.0);
}

TEST(ServiceConfigTest, EveryFieldIsRead) {
  auto config = config_of(R"({"host": "::1", "port": 0, "max_header_bytes": 2048,
      "max_body_bytes": 4096, "read_timeout_ms": 1, "idle_timeout_ms": 2, "write_timeout_ms": 3,
      "max_connections": 7, "rate_limit": {"per_second": 0, "burst": 0},
      "allow_self_approval": true, "plan_wait_ms": 0, "max_wait_ms": 5, "key_cache_ms": 0,
      "access_log": "-", "trusted_proxies": ["127.0.0.1", "::1"], "shutdown_grace_ms": 0})");
  ASSERT_TRUE(config) << config.error().message;
  const auto& c = config.value();
  EXPECT_EQ(c.host, "::1");
  EXPECT_EQ(c.port, 0);
  EXPECT_EQ(c.max_header_bytes, 2048);
  EXPECT_EQ(c.max_body_bytes, 4096);
  EXPECT_EQ(c.read_timeout_ms, 1);
  EXPECT_EQ(c.idle_timeout_ms, 2);
  EXPECT_EQ(c.write_timeout_ms, 3);
  EXPECT_EQ(c.max_connections, 7);
  EXPECT_EQ(c.rate_limit.per_second, 0.0);
  EXPECT_TRUE(c.allow_self_approval);
  EXPECT_EQ(c.max_wait_ms, 5);
  EXPECT_EQ(c.access_log, "-");
  EXPECT_EQ(c.trusted_proxies, (std::vector<std::string>{"127.0.0.1", "::1"}));
}

TEST(ServiceConfigTest, TheEnvironmentOverridesHostAndPort) {
  auto config = config_of(R"({"host": "10.0.0.1", "port": 9000})",
                          {{"OPSGRAPH_HTTP_HOST", "127.0.0.2"}, {"OPSGRAPH_HTTP_PORT", "9100"}});
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config.value().host, "127.0.0.2");
  EXPECT_EQ(config.value().port, 9100);
  auto unset = config_of(R"({"port": 9000})", {{"OPSGRAPH_HTTP_PORT", ""}});
  ASSERT_TRUE(unset);
  EXPECT_EQ(unset.value().port, 9000) << "an empty variable changes nothing";
}

TEST(ServiceConfigTest, BadValuesAreRefusedNamingTheField) {
  const std::map<std::string, std::string> cases{
      {R"({"colour": "blue"})", "colour"},
      {R"({"port": "eighty"})", "port"},
      {R"({"host": ""})", "server.host"},
      {R"({"port": 65536})", "server.port"},
      {R"({"max_header_bytes": 100})", "server.max_header_bytes"},
      {R"({"max_body_bytes": 100})", "server.max_body_bytes"},
      {R"({"read_timeout_ms": 0})", "server.read_timeout_ms"},
      {R"({"idle_timeout_ms": 0})", "server.idle_timeout_ms"},
      {R"({"write_timeout_ms": 0})", "server.write_timeout_ms"},
      {R"({"shutdown_grace_ms": -1})", "server.shutdown_grace_ms"},
      {R"({"max_connections": 0})", "server.max_connections"},
      {R"({"rate_limit": {"per_second": -1}})", "server.rate_limit"},
      {R"({"rate_limit": {"per_second": 5, "burst": 0.5}})", "server.rate_limit.burst"},
      {R"({"rate_limit": {"rate": 5}})", "rate"},
      {R"({"plan_wait_ms": -1})", "server.plan_wait_ms"},
      {R"({"max_wait_ms": -1})", "server.max_wait_ms"},
      {R"({"key_cache_ms": -1})", "server.key_cache_ms"},
      {R"({"trusted_proxies": ["127.0.0.1", "nginx"]})", "nginx"},
      {R"({"trusted_proxies": "127.0.0.1"})", "trusted_proxies"},
  };
  for (const auto& [server, field] : cases) {
    const auto message = refusal(server);
    EXPECT_NE(message.find(field), std::string::npos)
        << server << " was refused with \"" << message << "\", which does not name " << field;
  }
  const auto port = refusal("{}", {{"OPSGRAPH_HTTP_PORT", "80x"}});
  EXPECT_NE(port.find("OPSGRAPH_HTTP_PORT"), std::string::npos) << port;
}

}  // namespace
}  // namespace opsgraph::service
