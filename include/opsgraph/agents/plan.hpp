#pragma once
// opsgraph::agents::Plan — what the coordinator agent proposes to do about a request: the steps as
// short strings (what existing clients display), the same steps with their agent and
// dependencies, and a summary. A plan is frozen and hashed before a human reviews it; the hash
// names exactly what was approved. Plain values with JSON codecs (snake_case).

#include <cstddef>
#include <opsgraph/core/json_codec.hpp>
#include <opsgraph/router/refine.hpp>
#include <opsgraph/router/route_decision.hpp>
#include <string>
#include <vector>

namespace opsgraph::agents {

/// One step of a plan, with the specialist that does it.
struct PlanStep {
  /// 1, 2, 3... in plan order.
  int step_number = 0;
  router::Agent agent = router::Agent::diagnostic;
  std::string description;
  /// The step numbers that must finish first.
  std::vector<int> depends_on;
  friend bool operator==(const PlanStep&, const PlanStep&) = default;
};

struct Plan {
  /// The steps as one-line strings, in order (for clients that expect plain strings).
  std::vector<std::string> steps;
  std::vector<PlanStep> step_details;
  std::string summary;
  /// content_hash() of the plan's canonical JSON (see plan_hash); set when the plan is frozen.
  std::string hash;
  friend bool operator==(const Plan&, const Plan&) = default;
};

/// The planner agent's answer: its analysis of the request (merged into the rules' decision by
/// router::refine, which can only raise risk and approval) and the plan.
struct PlannerAnswer {
  router::RouteAnalysis analysis;
  Plan plan;
  friend bool operator==(const PlannerAnswer&, const PlannerAnswer&) = default;
};

/// The hash a plan is approved by: "sha256:" and the digest of its steps, step details and
/// summary as compact JSON (the hash member itself is not part of it).
OPSGRAPH_API std::string plan_hash(const Plan& plan);

}  // namespace opsgraph::agents

template <>
struct opsgraph::json::Schema<opsgraph::agents::PlanStep> {
  using T = opsgraph::agents::PlanStep;
  static constexpr auto fields =
      std::make_tuple(json::field("step_number", &T::step_number), json::field("agent", &T::agent),
                      json::field("description", &T::description),
                      json::optional_field("depends_on", &T::depends_on));
};

template <>
struct opsgraph::json::Schema<opsgraph::agents::Plan> {
  using T = opsgraph::agents::Plan;
  static constexpr auto fields = std::make_tuple(
      json::field("steps", &T::steps), json::field("step_details", &T::step_details),
      json::field("summary", &T::summary), json::optional_field("hash", &T::hash));
};

template <>
struct opsgraph::json::Schema<opsgraph::agents::PlannerAnswer> {
  using T = opsgraph::agents::PlannerAnswer;
  static constexpr auto fields =
      std::make_tuple(json::field("analysis", &T::analysis), json::field("plan", &T::plan));
};
