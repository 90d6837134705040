#pragma once
// opsgraph::service::ServiceConfig — opsgraphd's HTTP side as data: the `server` member of the
// engine's config file (engine::EngineConfig::server; every member optional, unknown members
// refused), plus the environment's OPSGRAPH_HTTP_HOST and OPSGRAPH_HTTP_PORT.
//
//   {"server": {"port": 8080, "rate_limit": {"per_second": 20, "burst": 40},
//               "allow_self_approval": false, "access_log": "-"},
//    "store": {"kind": "sqlite", "path": "opsgraph.db"}, ...}

#include <cstdint>
#include <opsgraph/core/json_codec.hpp>
#include <opsgraph/core/result.hpp>
#include <opsgraph/engine/config.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace opsgraph::service {

/// A token bucket per API key: `burst` calls at once, refilled at `per_second`. 0 turns it off.
struct RateLimitConfig {
  double per_second = 50.0;
  double burst = 100.0;
};

struct ServiceConfig {
  /// Loopback unless you mean it; TLS belongs to a reverse proxy in front (docs/http-api.md).
  std::string host = "127.0.0.1";
  std::int64_t port = 8080;
  std::int64_t max_header_bytes = 16 * 1024;
  std::int64_t max_body_bytes = 64 * 1024;
  std::int64_t read_timeout_ms = 10'000;
  std::int64_t idle_timeout_ms = 60'000;
  std::int64_t write_timeout_ms = 30'000;
  std::int64_t max_connections = 4096;
  RateLimitConfig rate_limit{};
  /// Whether an approver may approve a task their own key submitted (rejecting it is always
  /// allowed: stopping your own task is as harmless as cancelling it).
  bool allow_self_approval = false;
  /// How long POST /api/v1/execute waits for the plan when the caller does not say, and the
  /// longest `?wait=SECONDS` honoured.
  std::int64_t plan_wait_ms = 10'000;
  std::int64_t max_wait_ms = 60'000;
  /// How long a key looked up in the store is trusted before it is looked up again: a key
  /// revoked by another process stops working within this.
  std::int64_t key_cache_ms = 5'000;
  /// The JSON-lines access log: "-" for standard output, a file path, or "" for none.
  std::string access_log = "";
  /// The addresses of reverse proxies in front (e.g. "127.0.0.1" for nginx on the same machine):
  /// a request from one of them is logged with the client address it puts in X-Forwarded-For.
  std::vector<std::string> trusted_proxies{};
  /// How long shutdown waits for requests in flight.
  std::int64_t shutdown_grace_ms = 10'000;
};

/// The server's config from `engine_config.server` (null: defaults), then the environment's
/// overrides. Errors: invalid_argument naming the field ("server.port: ...").
result<ServiceConfig> service_config_from(const engine::EngineConfig& engine_config,
                                          const engine::Environment& env);

/// Checks ranges. Errors: invalid_argument naming the field.
result<void> validate(const ServiceConfig& config);

}  // namespace opsgraph::service

template <>
struct opsgraph::json::Schema<opsgraph::service::RateLimitConfig> {
  using T = opsgraph::service::RateLimitConfig;
  static constexpr bool allow_unknown = false;
  static constexpr auto fields = std::make_tuple(json::optional_field("per_second", &T::per_second),
                                                 json::optional_field("burst", &T::burst));
};

template <>
struct opsgraph::json::Schema<opsgraph::service::ServiceConfig> {
  using T = opsgraph::service::ServiceConfig;
  static constexpr bool allow_unknown = false;
  static constexpr auto fields = std::make_tuple(
      json::optional_field("host", &T::host), json::optional_field("port", &T::port),
      json::optional_field("max_header_bytes", &T::max_header_bytes),
      json::optional_field("max_body_bytes", &T::max_body_bytes),
      json::optional_field("read_timeout_ms", &T::read_timeout_ms),
      json::optional_field("idle_timeout_ms", &T::idle_timeout_ms),
      json::optional_field("write_timeout_ms", &T::write_timeout_ms),
      json::optional_field("max_connections", &T::max_connections),
      json::optional_field("rate_limit", &T::rate_limit),
      json::optional_field("allow_self_approval", &T::allow_self_approval),
      json::optional_field("plan_wait_ms", &T::plan_wait_ms),
      json::optional_field("max_wait_ms", &T::max_wait_ms),
      json::optional_field("key_cache_ms", &T::key_cache_ms),
      json::optional_field("access_log", &T::access_log),
      json::optional_field("trusted_proxies", &T::trusted_proxies),
      json::optional_field("shutdown_grace_ms", &T::shutdown_grace_ms));
};
