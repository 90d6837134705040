#pragma once
// opsgraph::service::Service — opsgraphd's HTTP API over an Engine: execute, approve, reject,
// status, list, cancel, retry, an event stream per task, API keys with roles, per-key rate
// limits, Prometheus metrics and the OpenAPI document (docs/http-api.md). It serves on the
// engine's own io threads; no thread per connection.
//
//   OPSGRAPH_TRY(auto service, service::Service::start(options, engine, keys));
//   ... service->port() ...
//   service->stop(std::chrono::seconds{10});        // graceful: in-flight requests finish
//
// Thread-safe. Internal to the build tree: `opsgraph serve` and `opsgraphd` run it.

#include <chrono>
#include <cstdint>
#include <memory>
#include <opsgraph/core/metrics.hpp>
#include <opsgraph/core/result.hpp>
#include <opsgraph/engine/engine.hpp>
#include <opsgraph/service/service_config.hpp>
#include <opsgraph/store/key_store.hpp>

namespace opsgraph::service {

class Service {
 public:
  /// Starts serving `engine` as `config` says. `keys` authenticates callers; `metrics` is the
  /// registry the engine's provider registers in (the service adds its own; null makes one).
  /// Errors: invalid_argument (a bad config), what http::Server::start reports.
  static result<std::unique_ptr<Service>> start(ServiceConfig config,
                                                std::shared_ptr<engine::Engine> engine,
                                                std::shared_ptr<store::KeyStore> keys,
                                                std::shared_ptr<MetricsRegistry> metrics);
  ~Service();
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;

  std::uint16_t port() const noexcept;

  /// Stops accepting, lets requests in flight finish for up to `grace`, ends event streams and
  /// closes every connection. Tasks keep their state in the store and resume under the next
  /// engine. Idempotent; not from a thread of the engine's executor.
  void stop(std::chrono::milliseconds grace);

 private:
  struct Impl;
  explicit Service(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace opsgraph::service
