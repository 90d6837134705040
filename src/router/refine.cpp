#include <algorithm>
#include <cmath>
#include <opsgraph/router/refine.hpp>
#include <set>

namespace opsgraph::router {
namespace {

constexpr std::string_view kLlmRule = "llm_analysis";

double clamp_score(double score) noexcept {
  return std::isnan(score) ? 0.0 : std::clamp(score, 0.0, 1.0);
}

Risk merged_risk(const RouteDecision& current, const RouteAnalysis& llm) {
  Risk risk = current.risk;
  // A score without a level (or above its level) raises the level too: the cautious reading.
  const double proposed_score = clamp_score(llm.risk_score.value_or(0.0));
  const Level proposed = std::max(llm.risk_level.value_or(Level::low), level_of(proposed_score));
  risk.level = std::max({risk.level, current.floor.risk, proposed});
  risk.score = std::max({risk.score, current.floor.score, proposed_score, min_score(risk.level)});
  for (const Reason& reason : llm.reasons)
    risk.reasons.push_back(
        {reason.rule.empty() ? std::string(kLlmRule) : reason.rule, reason.detail});
  return risk;
}

std::vector<Agent> merged_agents(const RouteDecision& current, const RouteAnalysis& llm) {
  std::set<Agent> agents(current.route.required_agents.begin(),
                         current.route.required_agents.end());
  agents.insert(llm.required_agents.begin(), llm.required_agents.end());
  const auto& excluded = current.exclusions;
  if (std::find(excluded.begin(), excluded.end(), Exclusion::script) != excluded.end())
    agents.erase(Agent::automation);
  return {agents.begin(), agents.end()};
}

}  // namespace

RouteDecision refine(const RouteDecision& current, const RouteAnalysis& llm) {
  RouteDecision refined = current;
  refined.risk = merged_risk(current, llm);
  refined.route.requires_approval = current.route.requires_approval ||
                                    current.floor.requires_approval || llm.requires_approval ||
                                    refined.risk.level == Level::high;
  if (llm.category && !llm.category->empty())
    refined.route.category = *llm.category;
  if (llm.complexity) {
    const double score = clamp_score(llm.complexity->score);
    const Level level = std::max(llm.complexity->level, level_of(score));
    refined.route.complexity = {level, std::max(score, min_score(level))};
  }
  refined.route.required_agents = merged_agents(current, llm);
  if (!refined.language)
    refined.language = llm.language;
  refined.task_type = task_type_of(refined.risk.level, refined.route);
  return refined;
}

}  // namespace opsgraph::router
