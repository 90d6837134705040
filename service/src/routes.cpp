#include <array>
#include <opsgraph/service/routes.hpp>

namespace opsgraph::service {
namespace {

constexpr std::array kRoutes{
    Route{RouteId::execute, "POST", "/api/v1/execute", Permission::operate},
    Route{RouteId::approve, "POST", "/api/v1/plans/{id}/approve", Permission::decide},
    Route{RouteId::reject, "POST", "/api/v1/plans/{id}/reject", Permission::decide},
    Route{RouteId::list_tasks, "GET", "/api/v1/tasks", Permission::read},
    Route{RouteId::get_task, "GET", "/api/v1/tasks/{id}", Permission::read},
    Route{RouteId::cancel_task, "POST", "/api/v1/tasks/{id}/cancel", Permission::operate},
    Route{RouteId::retry_task, "POST", "/api/v1/tasks/{id}/retry", Permission::operate},
    Route{RouteId::task_events, "GET", "/api/v1/tasks/{id}/events", Permission::read},
    Route{RouteId::list_keys, "GET", "/api/v1/keys", Permission::manage_keys},
    Route{RouteId::create_key, "POST", "/api/v1/keys", Permission::manage_keys},
    Route{RouteId::revoke_key, "DELETE", "/api/v1/keys/{id}", Permission::manage_keys},
    Route{RouteId::healthz, "GET", "/healthz", Permission::open},
    Route{RouteId::readyz, "GET", "/readyz", Permission::open},
    Route{RouteId::metrics, "GET", "/metrics", Permission::open},
    Route{RouteId::openapi, "GET", "/openapi.json", Permission::open},
};

// Matches `path` against `pattern` segment by segment; `{id}` takes one non-empty segment.
bool path_matches(std::string_view pattern, std::string_view path, std::string_view& id) {
  while (!pattern.empty() || !path.empty()) {
    if (pattern.empty() || path.empty() || pattern.front() != '/' || path.front() != '/')
      return false;
    pattern.remove_prefix(1);
    path.remove_prefix(1);
    const auto pattern_end = std::min(pattern.find('/'), pattern.size());
    const auto path_end = std::min(path.find('/'), path.size());
    const auto want = pattern.substr(0, pattern_end);
    const auto got = path.substr(0, path_end);
    if (want == "{id}") {
      if (got.empty())
        return false;
      id = got;
    } else if (want != got) {
      return false;
    }
    pattern.remove_prefix(pattern_end);
    path.remove_prefix(path_end);
  }
  return true;
}

}  // namespace

std::span<const Route> routes() noexcept {
  return kRoutes;
}

RouteMatch match_route(std::string_view method, std::string_view path) {
  RouteMatch match;
  for (const auto& route : kRoutes) {
    std::string_view id;
    if (!path_matches(route.pattern, path, id))
      continue;
    if (route.method == method) {
      match.route = &route;
      match.id = id;
      return match;
    }
    if (!match.allowed.empty())
      match.allowed += ", ";
    match.allowed += route.method;
  }
  return match;
}

}  // namespace opsgraph::service
