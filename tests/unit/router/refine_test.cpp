// refine(): the LLM's analysis raises, adds and replaces, and never goes below the rules' floor.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <opsgraph/router/refine.hpp>
#include <opsgraph/router/rule_router.hpp>

namespace opsgraph::router {
namespace {

RouteDecision rules_decision(std::string_view text, const RouteHints& hints = {}) {
  static const RuleRouter router = RuleRouter::create(RuleSet::defaults().value()).value();
  return router.route(text, hints).value();
}

TEST(Refine, TheLlmCannotLowerRiskOrRemoveTheRulesApproval) {
  const RouteDecision rules = rules_decision("drop the orders table on sql-prod-01");
  ASSERT_EQ(rules.risk.level, Level::high);
  RouteAnalysis llm;
  llm.risk_level = Level::low;
  llm.risk_score = 0.05;
  llm.requires_approval = false;
  llm.reasons = {{"", "the user says it is a test table"}};

  const RouteDecision refined = refine(rules, llm);
  EXPECT_EQ(refined.risk.level, Level::high);
  EXPECT_GE(refined.risk.score, rules.risk.score);
  EXPECT_TRUE(refined.route.requires_approval);
  EXPECT_EQ(refined.task_type, TaskType::critical);
  ASSERT_EQ(refined.risk.reasons.size(), rules.risk.reasons.size() + 1);
  EXPECT_EQ(refined.risk.reasons.back().rule, "llm_analysis");
  EXPECT_EQ(refined.floor, rules.floor);
}

TEST(Refine, TheLlmMayRaiseRiskAndAddAnApproval) {
  const RouteDecision rules = rules_decision("check the disk space on fs02");
  ASSERT_EQ(rules.risk.level, Level::low);
  ASSERT_FALSE(rules.route.requires_approval);

  RouteAnalysis medium;
  medium.risk_level = Level::medium;
  medium.requires_approval = true;
  const RouteDecision raised = refine(rules, medium);
  EXPECT_EQ(raised.risk.level, Level::medium);
  EXPECT_GE(raised.risk.score, min_score(Level::medium)) << "score follows the level";
  EXPECT_TRUE(raised.route.requires_approval);

  RouteAnalysis high;
  high.risk_score = 0.9;
  const RouteDecision critical = refine(rules, high);
  EXPECT_EQ(critical.risk.level, Level::high) << "a high score alone raises the level";
  EXPECT_TRUE(critical.route.requires_approval) << "high risk always needs approval";
  EXPECT_EQ(critical.task_type, TaskType::critical);
}

TEST(Refine, TheFloorSurvivesALaterRefinementAndAJsonRoundTrip) {
  const RouteDecision rules = rules_decision("Reset the password for m.mueller");
  RouteAnalysis first;
  first.category = "identity";
  const RouteDecision once = refine(rules, first);
  auto stored = json::decode<RouteDecision>(json::encode(once));
  ASSERT_TRUE(stored) << stored.error().message;

  // A tampered current risk (e.g. edited in a checkpoint) is restored to the floor.
  RouteDecision tampered = stored.value();
  tampered.risk.level = Level::low;
  tampered.route.requires_approval = false;
  RouteAnalysis second;
  second.risk_level = Level::low;
  const RouteDecision twice = refine(tampered, second);
  EXPECT_EQ(twice.risk.level, Level::high);
  EXPECT_TRUE(twice.route.requires_approval);
}

TEST(Refine, TheCallersApprovalIsPartOfTheFloor) {
  const RouteDecision rules =
      rules_decision("check the disk space on fs02", {.require_approval = true});
  RouteDecision without = rules;
  without.route.requires_approval = false;
  EXPECT_TRUE(refine(without, RouteAnalysis{}).route.requires_approval);
}

TEST(Refine, CategoryAndComplexityComeFromTheLlmWhenGiven) {
  const RouteDecision rules = rules_decision("look into the print queue on prn-srv-02");
  EXPECT_EQ(refine(rules, RouteAnalysis{}).route, rules.route)
      << "an empty analysis changes nothing";

  RouteAnalysis llm;
  llm.category = "compute";
  llm.complexity = Complexity{Level::high, 0.8};
  const RouteDecision refined = refine(rules, llm);
  EXPECT_EQ(refined.route.category, "compute");
  EXPECT_EQ(refined.route.complexity, (Complexity{Level::high, 0.8}));
  EXPECT_EQ(refined.task_type, TaskType::complex);

  llm.complexity = Complexity{Level::low, std::numeric_limits<double>::quiet_NaN()};
  EXPECT_EQ(refine(rules, llm).route.complexity, (Complexity{Level::low, 0.0}));
  llm.complexity = Complexity{Level::low, 5.0};
  EXPECT_EQ(refine(rules, llm).route.complexity, (Complexity{Level::high, 1.0}))
      << "scores are clamped and the level follows them";
  llm.category = "";
  EXPECT_EQ(refine(rules, llm).route.category, rules.route.category);
}

TEST(Refine, AgentsAreAddedButADeclinedScriptStaysDeclined) {
  const RouteDecision rules =
      rules_decision("why is the ETL on sql-dev-01 slow? I don't need a script");
  ASSERT_EQ(rules.exclusions, std::vector<Exclusion>{Exclusion::script});
  RouteAnalysis llm;
  llm.required_agents = {Agent::automation, Agent::writer};
  const RouteDecision refined = refine(rules, llm);
  EXPECT_EQ(refined.route.required_agents, (std::vector<Agent>{Agent::diagnostic, Agent::writer}));
  EXPECT_EQ(refined.exclusions, rules.exclusions);
}

TEST(Refine, TheRulesLanguageIsKeptAndAMissingOneFilledIn) {
  RouteAnalysis llm;
  llm.language = safety::Language::bash;
  EXPECT_EQ(refine(rules_decision("a PowerShell script to list services"), llm).language,
            safety::Language::powershell);
  EXPECT_EQ(refine(rules_decision("list the services on app01"), llm).language,
            safety::Language::bash);
}

}  // namespace
}  // namespace opsgraph::router
