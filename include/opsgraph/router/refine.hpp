#pragma once
// opsgraph::router::RouteAnalysis and refine() — how the LLM stage's analysis of a request is
// merged into the rules' decision. The merge is one-way: the analysis may raise risk, add agents
// and add an approval, and may replace category and complexity; it can never lower the risk
// below the decision's Floor, remove an approval the floor mandates, or undo an exclusion the
// request stated. Plain values and a pure function: thread-safe.

#include <opsgraph/core/json_codec.hpp>
#include <opsgraph/export.hpp>
#include <opsgraph/router/route_decision.hpp>
#include <optional>
#include <string>
#include <vector>

namespace opsgraph::router {

/// What an LLM proposes about a request (its structured answer). Every member is optional: an
/// absent member leaves the rules' value alone.
struct RouteAnalysis {
  std::optional<std::string> category;
  /// Agents the LLM thinks are needed; added to the rules' agents, never replacing them.
  std::vector<Agent> required_agents;
  std::optional<Complexity> complexity;
  std::optional<Level> risk_level;
  std::optional<double> risk_score;
  /// Why; kept beside the rules' reasons. An empty rule name is reported as "llm_analysis".
  std::vector<Reason> reasons;
  bool requires_approval = false;
  std::optional<safety::Language> language;

  friend bool operator==(const RouteAnalysis&, const RouteAnalysis&) = default;
};

/// `current` refined by `llm`:
/// - risk level and score are the maximum of current, llm and the floor (a score above its
///   level's band raises the level); reasons from both;
/// - requires_approval is current's or llm's or the floor's, and always true at high risk;
/// - category and complexity come from llm when it gives them (scores clamped to 0..1);
/// - agents are the union, less automation when the request declined a script;
/// - language stays as the rules or the caller set it, else llm's;
/// - exclusions, normalisation notes, the injection flag and the floor are kept unchanged.
OPSGRAPH_API RouteDecision refine(const RouteDecision& current, const RouteAnalysis& llm);

}  // namespace opsgraph::router

template <>
struct opsgraph::json::Schema<opsgraph::router::RouteAnalysis> {
  using T = opsgraph::router::RouteAnalysis;
  static constexpr auto fields =
      std::make_tuple(json::optional_field("category", &T::category),
                      json::optional_field("required_agents", &T::required_agents),
                      json::optional_field("complexity", &T::complexity),
                      json::optional_field("risk_level", &T::risk_level),
                      json::optional_field("risk_score", &T::risk_score),
                      json::optional_field("reasons", &T::reasons),
                      json::optional_field("requires_approval", &T::requires_approval),
                      json::optional_field("language", &T::language));
};
