// The JSON shape of RouteDecision (DESIGN.md's "risk" and "route") and RouteAnalysis, both ways.
#include <gtest/gtest.h>

#include <opsgraph/core/json.hpp>
#include <opsgraph/router/refine.hpp>
#include <opsgraph/router/route_decision.hpp>

namespace opsgraph::router {
namespace {

RouteDecision sample() {
  RouteDecision d;
  d.task_type = TaskType::complex;
  d.risk = {Level::low, 0.12, {{"read_only_diagnosis", "read-only investigation of a problem"}}};
  d.route.category = "compute";
  d.route.required_agents = {Agent::diagnostic, Agent::automation, Agent::writer};
  d.route.complexity = {Level::medium, 0.4};
  d.floor = {Level::low, 0.12, false};
  d.language = safety::Language::powershell;
  return d;
}

TEST(RouteDecisionJson, RiskAndRouteHaveTheTaskRecordsShape) {
  const json::Value v = json::to_value(sample());
  EXPECT_EQ(json::dump(*v.find("risk")),
            R"({"level":"low","score":0.12,"reasons":[{"rule":"read_only_diagnosis",)"
            R"("detail":"read-only investigation of a problem"}]})");
  EXPECT_EQ(json::dump(*v.find("route")),
            R"({"category":"compute","required_agents":["diagnostic","automation","writer"],)"
            R"("complexity":{"level":"medium","score":0.4},"requires_approval":false})");
  EXPECT_EQ(*v.find("task_type"), json::Value("complex"));
  EXPECT_EQ(*v.find("language"), json::Value("powershell"));
}

TEST(RouteDecisionJson, RoundTrips) {
  RouteDecision d = sample();
  d.exclusions = {Exclusion::email};
  d.normalization = {"mapped 1 lookalike letter to Latin"};
  d.injection_suspected = true;
  auto back = json::decode<RouteDecision>(json::encode(d));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back.value(), d);
}

TEST(RouteAnalysisJson, DecodesAnLlmAnswerAndNamesWhatIsWrong) {
  auto analysis = json::decode<RouteAnalysis>(
      R"({"category": "database", "required_agents": ["diagnostic"], "risk_level": "medium",
          "risk_score": 0.5, "reasons": [{"rule": "llm", "detail": "touches a replica"}],
          "complexity": {"level": "low", "score": 0.2}})");
  ASSERT_TRUE(analysis) << analysis.error().message;
  EXPECT_EQ(analysis.value().risk_level, Level::medium);
  EXPECT_FALSE(analysis.value().requires_approval);

  auto bad = json::decode<RouteAnalysis>(R"({"risk_level": "extreme"})");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("risk_level"), std::string::npos) << bad.error().message;
}

TEST(Levels, ScoresAndLevelsAgree) {
  for (Level level : {Level::low, Level::medium, Level::high})
    EXPECT_EQ(level_of(min_score(level)), level);
  EXPECT_EQ(level_of(0.33), Level::low);
  EXPECT_EQ(level_of(1.0), Level::high);
}

}  // namespace
}  // namespace opsgraph::router
