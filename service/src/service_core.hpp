#pragma once
// What every request handler of the service shares (ServiceCore), and one request being handled
// (Call). Internal.

#include <atomic>
#include <memory>
#include <opsgraph/core/blocking_pool.hpp>
#include <opsgraph/core/metrics.hpp>
#include <opsgraph/engine/engine.hpp>
#include <opsgraph/http/server.hpp>
#include <opsgraph/service/routes.hpp>
#include <opsgraph/service/service_config.hpp>
#include <opsgraph/store/key_store.hpp>
#include <optional>
#include <string>

#include "access_log.hpp"
#include "authenticator.hpp"
#include "http_metrics.hpp"
#include "rate_limiter.hpp"

namespace opsgraph::service {

struct ServiceCore {
  ServiceCore(ServiceConfig c, std::shared_ptr<engine::Engine> e,
              std::shared_ptr<store::KeyStore> k, std::shared_ptr<MetricsRegistry> m)
      : config(std::move(c)),
        engine(std::move(e)),
        keys(std::move(k)),
        metrics(std::move(m)),
        auth(keys, std::chrono::milliseconds{config.key_cache_ms}, store_pool),
        limiter(config.rate_limit.per_second, config.rate_limit.burst),
        http_metrics(*metrics) {}

  const ServiceConfig config;
  const std::shared_ptr<engine::Engine> engine;
  const std::shared_ptr<store::KeyStore> keys;
  const std::shared_ptr<MetricsRegistry> metrics;
  /// Runs the service's own store calls (keys, and reads it batches) when the store blocks.
  BlockingPool store_pool{2};
  Authenticator auth;
  RateLimiter limiter;
  HttpMetrics http_metrics;
  /// Null when the config asks for no access log.
  std::unique_ptr<AccessLog> access_log;
  std::atomic<bool> stopping{false};
  /// Set once the server listens (for its connection count in /metrics).
  std::atomic<const http::Server*> server{nullptr};
};

/// One request on its way through the service.
struct Call {
  ServiceCore& core;
  http::Exchange& exchange;
  const http::Request& request;
  /// The route's `{id}` segment, when it has one.
  std::string id;
  /// Set once the caller's key is checked (routes that need none leave it empty).
  std::optional<Principal> caller;

  /// The name the caller is recorded under in tasks and audit events: its key's id.
  std::string actor() const { return caller ? caller->key_id : std::string("anonymous"); }
};

/// Runs `fn` (blocking calls on the store, directly or through the engine's blocking forms) on
/// the service's pool when the store blocks, inline when it does not: one hop for several reads.
template <class F>
Task<std::invoke_result_t<F&>> on_store(ServiceCore& core, F fn) {
  if (!core.keys->blocking())
    co_return fn();
  auto job = core.store_pool.run(std::move(fn));
  auto done = co_await std::move(job);
  co_return done;
}

/// The JSON answer `body` with `status`.
http::Response json_response(int status, std::string body);

// The handlers, one per route (task_events answers through the exchange itself and returns an
// answer only when it cannot start the stream).
Task<http::Response> execute_task(Call& call);
Task<http::Response> approve_task(Call& call);
Task<http::Response> reject_task(Call& call);
Task<http::Response> get_task(Call& call);
Task<http::Response> list_tasks(Call& call);
Task<http::Response> cancel_task(Call& call);
Task<http::Response> retry_task(Call& call);
Task<std::optional<http::Response>> stream_task_events(Call& call);
Task<http::Response> create_key(Call& call);
Task<http::Response> list_keys(Call& call);
Task<http::Response> revoke_key(Call& call);
Task<http::Response> health(Call& call);
Task<http::Response> readiness(Call& call);
Task<http::Response> metrics_text(Call& call);
Task<http::Response> openapi_document(Call& call);

}  // namespace opsgraph::service
