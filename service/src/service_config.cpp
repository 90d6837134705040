#include <charconv>
#include <opsgraph/service/service_config.hpp>

#include "client_address.hpp"

namespace opsgraph::service {
namespace {

Error bad(std::string_view field, std::string_view why) {
  return make_error(errc::invalid_argument,
                    "server." + std::string(field) + ": " + std::string(why));
}

result<std::int64_t> parse_port(const std::string& text) {
  std::int64_t port = 0;
  const auto* end = text.data() + text.size();
  const auto [next, ec] = std::from_chars(text.data(), end, port);
  if (ec != std::errc() || next != end)
    return fail(errc::invalid_argument,
                "OPSGRAPH_HTTP_PORT: expected a port number, got \"" + text + "\"");
  return port;
}

}  // namespace

result<void> validate(const ServiceConfig& c) {
  if (c.host.empty())
    return fail(bad("host", "must not be empty"));
  if (c.port < 0 || c.port > 65535)
    return fail(bad("port", "must be within 0..65535"));
  if (c.max_header_bytes < 1024)
    return fail(bad("max_header_bytes", "must be at least 1024"));
  if (c.max_body_bytes < 1024)
    return fail(bad("max_body_bytes", "must be at least 1024"));
  if (c.read_timeout_ms < 1)
    return fail(bad("read_timeout_ms", "must be positive"));
  if (c.idle_timeout_ms < 1)
    return fail(bad("idle_timeout_ms", "must be positive"));
  if (c.write_timeout_ms < 1)
    return fail(bad("write_timeout_ms", "must be positive"));
  if (c.shutdown_grace_ms < 0)
    return fail(bad("shutdown_grace_ms", "must not be negative"));
  if (c.max_connections < 1)
    return fail(bad("max_connections", "must be at least 1"));
  if (c.rate_limit.per_second < 0 || c.rate_limit.burst < 0)
    return fail(bad("rate_limit", "per_second and burst must not be negative"));
  if (c.rate_limit.per_second > 0 && c.rate_limit.burst < 1)
    return fail(bad("rate_limit.burst", "must be at least 1 when per_second is set"));
  if (c.plan_wait_ms < 0)
    return fail(bad("plan_wait_ms", "must not be negative"));
  if (c.max_wait_ms < 0)
    return fail(bad("max_wait_ms", "must not be negative"));
  if (c.key_cache_ms < 0)
    return fail(bad("key_cache_ms", "must not be negative"));
  OPSGRAPH_TRY(TrustedProxies::parse(c.trusted_proxies));
  return ok();
}

result<ServiceConfig> service_config_from(const engine::EngineConfig& engine_config,
                                          const engine::Environment& env) {
  ServiceConfig config;
  if (!engine_config.server.is_null()) {
    auto decoded = json::from_value<ServiceConfig>(engine_config.server);
    if (!decoded)
      return fail(errc::invalid_argument, "server." + decoded.error().message);
    config = std::move(decoded).value();
  }
  if (auto host = env("OPSGRAPH_HTTP_HOST"); host && !host->empty())
    config.host = *host;
  if (auto port = env("OPSGRAPH_HTTP_PORT"); port && !port->empty()) {
    OPSGRAPH_TRY(config.port, parse_port(*port));
  }
  OPSGRAPH_TRY(validate(config));
  return config;
}

}  // namespace opsgraph::service
