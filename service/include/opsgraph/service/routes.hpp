#pragma once
// The HTTP API's routes: method, path pattern and the permission each needs. One table serves
// the dispatcher, the metrics' route labels and the test that keeps openapi.json in step.

#include <opsgraph/service/roles.hpp>
#include <span>
#include <string>
#include <string_view>

namespace opsgraph::service {

enum class RouteId {
  execute,
  approve,
  reject,
  get_task,
  list_tasks,
  cancel_task,
  retry_task,
  task_events,
  create_key,
  list_keys,
  revoke_key,
  healthz,
  readyz,
  metrics,
  openapi,
};

struct Route {
  RouteId id;
  std::string_view method;
  /// The path as openapi.json writes it; `{id}` matches one path segment.
  std::string_view pattern;
  Permission permission;
};

/// Every route, in the order openapi.json lists them.
std::span<const Route> routes() noexcept;

/// What a request's method and path matched.
struct RouteMatch {
  /// Null when nothing matched.
  const Route* route = nullptr;
  /// The `{id}` segment, when the pattern has one.
  std::string_view id;
  /// When the path exists but not with this method: the methods it has ("GET, POST").
  std::string allowed;
};

RouteMatch match_route(std::string_view method, std::string_view path);

}  // namespace opsgraph::service
