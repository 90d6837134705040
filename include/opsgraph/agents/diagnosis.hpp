#pragma once
// opsgraph::agents::Diagnosis — what the diagnostic agent concludes about a request: the problem,
// whether it was identified, its root cause with evidence, ranked solutions and how confident
// the agent is. Read-only work: it is produced before any approval and shown to the approver.
// Plain values with JSON codecs (snake_case).

#include <opsgraph/core/json_codec.hpp>
#include <string>
#include <vector>

namespace opsgraph::agents {

/// How sure the agent is of one solution, in words an approver reads at a glance.
enum class Confidence { low, medium, high };

struct Solution {
  std::string title;
  std::string description;
  std::vector<std::string> steps;
  Confidence confidence = Confidence::medium;
  /// 0..1, the same judgement as a number (for ranking).
  double score = 0.0;
  friend bool operator==(const Solution&, const Solution&) = default;
};

struct Diagnosis {
  std::string problem;
  /// False when the investigation found nothing wrong (automation is then skipped unless the
  /// request asked for a script).
  bool problem_identified = false;
  std::string root_cause;
  std::vector<std::string> evidence;
  std::vector<Solution> solutions;
  /// 0..1: how much the whole diagnosis can be trusted.
  double confidence = 0.0;
  std::vector<std::string> affected_components;
  friend bool operator==(const Diagnosis&, const Diagnosis&) = default;
};

}  // namespace opsgraph::agents

template <>
struct opsgraph::json::Schema<opsgraph::agents::Confidence> {
  static constexpr auto names = json::enum_names<opsgraph::agents::Confidence>(
      {{opsgraph::agents::Confidence::low, "low"},
       {opsgraph::agents::Confidence::medium, "medium"},
       {opsgraph::agents::Confidence::high, "high"}});
};

template <>
struct opsgraph::json::Schema<opsgraph::agents::Solution> {
  using T = opsgraph::agents::Solution;
  static constexpr auto fields =
      std::make_tuple(json::field("title", &T::title), json::field("description", &T::description),
                      json::optional_field("steps", &T::steps),
                      json::field("confidence", &T::confidence), json::field("score", &T::score));
};

template <>
struct opsgraph::json::Schema<opsgraph::agents::Diagnosis> {
  using T = opsgraph::agents::Diagnosis;
  static constexpr auto fields = std::make_tuple(
      json::field("problem", &T::problem),
      json::field("problem_identified", &T::problem_identified),
      json::field("root_cause", &T::root_cause), json::optional_field("evidence", &T::evidence),
      json::optional_field("solutions", &T::solutions), json::field("confidence", &T::confidence),
      json::optional_field("affected_components", &T::affected_components));
};
