#pragma once
// opsgraph::coordinator::TaskState — the state the CoordinatorGraph runs on and checkpoints after
// every step: the task as clients see it, plus what only the workflow needs (the full routing
// decision with its floor, and the checker's findings the next script draft must fix).

#include <opsgraph/coordinator/task_snapshot.hpp>
#include <opsgraph/core/json_codec.hpp>
#include <opsgraph/router/route_decision.hpp>
#include <opsgraph/safety/finding.hpp>
#include <vector>

namespace opsgraph::coordinator {

struct TaskState {
  TaskSnapshot task;
  /// The routing decision, refined by the planner; its floor can only be raised.
  router::RouteDecision decision;
  /// True when the request's own words asked for a script (the rules found it), so automation
  /// runs even when the diagnosis found nothing.
  bool script_requested = false;
  /// The findings of the last failed script check, sent with the next draft request.
  std::vector<safety::Finding> feedback;
  friend bool operator==(const TaskState&, const TaskState&) = default;
};

/// Copies the decision's risk, route, type and exclusions into the snapshot's fields.
inline void show_route(TaskState& state) {
  auto& task = state.task;
  task.risk = state.decision.risk;
  task.route = state.decision.route;
  task.task_type = state.decision.task_type;
  task.exclusions = state.decision.exclusions;
  task.injection_suspected = state.decision.injection_suspected;
}

}  // namespace opsgraph::coordinator

template <>
struct opsgraph::json::Schema<opsgraph::coordinator::TaskState> {
  using T = opsgraph::coordinator::TaskState;
  static constexpr auto fields =
      std::make_tuple(json::field("task", &T::task), json::field("decision", &T::decision),
                      json::optional_field("script_requested", &T::script_requested),
                      json::optional_field("feedback", &T::feedback));
};
