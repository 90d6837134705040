// Rules files and fault specifications: what they accept, and errors that name the file, the rule
// and the field.

#include <gtest/gtest.h>

#include <fstream>
#include <opsgraph/core/json.hpp>
#include <opsgraph/mock/rules.hpp>

#include "support/temp_dir.hpp"

namespace opsgraph::mock::testing {
namespace {

TEST(MockRulesFile, ReadsEveryField) {
  const auto rules = parse_rules(R"({"rules": [
      {"name": "plan", "times": 2,
       "match": {"model": "gpt-4o", "system_contains": "planner", "user_contains": "cpu",
                 "user_regex": "APP\\d+"},
       "response": {"json": {"steps": ["a"]}, "finish_reason": "length",
                    "usage": {"prompt_tokens": 10, "completion_tokens": 5},
                    "fault": "500;latency_ms=10-20"}},
      {"responses": [{"content": "first"}, {"content": "second", "fault": "hang"}]}]})",
                                 "rules.json");
  ASSERT_TRUE(rules) << rules.error().message;
  ASSERT_EQ(rules.value().size(), 2u);
  const auto& plan = rules.value()[0];
  EXPECT_EQ(plan.name, "plan");
  EXPECT_EQ(plan.times, std::optional<std::size_t>(2));
  EXPECT_EQ(plan.match.model, "gpt-4o");
  EXPECT_EQ(plan.match.system_contains, "planner");
  EXPECT_EQ(plan.match.user_contains, "cpu");
  EXPECT_EQ(plan.match.user_regex, "APP\\d+");
  ASSERT_EQ(plan.responses.size(), 1u);
  EXPECT_EQ(json::dump(*plan.responses[0].json), R"({"steps":["a"]})");
  EXPECT_EQ(plan.responses[0].finish_reason, "length");
  EXPECT_EQ(plan.responses[0].usage, (llm::Usage{10, 5, 15}));
  EXPECT_EQ(plan.responses[0].fault.kind, FaultKind::server_error);
  EXPECT_EQ(plan.responses[0].fault.latency_min, std::chrono::milliseconds(10));
  EXPECT_EQ(plan.responses[0].fault.latency_max, std::chrono::milliseconds(20));

  const auto& sequence = rules.value()[1];
  EXPECT_EQ(sequence.match, RuleMatch{});
  ASSERT_EQ(sequence.responses.size(), 2u);
  EXPECT_EQ(sequence.responses[1].content, "second");
  EXPECT_EQ(sequence.responses[1].fault.kind, FaultKind::hang);
}

TEST(MockRulesFile, ErrorsNameFileRuleAndField) {
  struct Case {
    const char* text;
    const char* message;
  };
  for (
      const auto& c : {
          Case{"{\"rules\": [", "rules.json: "},
          Case{"{\"rulez\": []}", "rules.json: (top level).rulez: unknown field"},
          Case{"{\"rules\": {}}", "rules.json: rules: expected an array of rules"},
          Case{R"({"rules": [{"response": {"content": "x"}}, {"match": {"modle": "m"},
                "response": {"content": "x"}}]})",
               "rules.json: rules[1].match.modle: unknown field"},
          Case{
              R"({"rules": [{"match": {"user_regex": "(unclosed"}, "response": {"content": "x"}}]})",
              "rules.json: rules[0]: user_regex: missing )"},
          Case{R"({"rules": [{"response": {"content": "x", "json": {}}}]})",
               "rules.json: rules[0].response: content and json are exclusive"},
          Case{R"({"rules": [{"name": "x"}]})",
               "rules.json: rules[0]: needs exactly one of response and responses"},
          Case{R"({"rules": [{"responses": []}]})",
               "rules.json: rules[0].responses: expected a non-empty array"},
          Case{R"({"rules": [{"responses": [{"content": 5}]}]})",
               "rules.json: rules[0].responses[0].content: expected a string"},
          Case{R"({"rules": [{"response": {"fault": "explode"}}]})",
               "rules.json: rules[0].response.fault: unknown fault 'explode'"},
          Case{R"({"rules": [{"times": 0, "response": {}}]})",
               "rules.json: rules[0]: times must be at least 1"},
          Case{R"({"rules": [{"times": -1, "response": {}}]})",
               "rules.json: rules[0].times: expected a non-negative integer"},
          Case{R"({"rules": [{"response": {"usage": {"prompt_tokens": "many"}}}]})",
               "rules.json: rules[0].response.usage.prompt_tokens: expected a non-negative "
               "integer"},
      }) {
    SCOPED_TRACE(c.text);
    auto rules = parse_rules(c.text, "rules.json");
    ASSERT_FALSE(rules);
    EXPECT_EQ(rules.error().code, errc::invalid_argument);
    EXPECT_TRUE(rules.error().message.starts_with(c.message)) << rules.error().message;
  }
}

TEST(MockRulesFile, LoadsFromDiskOrSaysWhyNot) {
  opsgraph::testing::TempDir dir;
  const auto path = dir.file("rules.json");
  std::ofstream(path) << R"({"rules": [{"response": {"content": "from disk"}}]})";
  auto rules = load_rules_file(path);
  ASSERT_TRUE(rules) << rules.error().message;
  EXPECT_EQ(rules.value().at(0).responses.at(0).content, "from disk");

  auto missing = load_rules_file(dir.file("absent.json"));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, errc::not_found);
  EXPECT_NE(missing.error().message.find("absent.json"), std::string::npos);
}

TEST(MockFaultSpec, ParsesNamesAliasesAndParameters) {
  auto fault = parse_fault(" 429 ; retry_after=4 ");
  ASSERT_TRUE(fault) << fault.error().message;
  EXPECT_EQ(fault.value().kind, FaultKind::rate_limited);
  EXPECT_EQ(fault.value().retry_after_seconds, std::optional<int>(4));
  EXPECT_EQ(to_string(fault.value().kind), "rate_limited");

  auto latency = parse_fault("latency_ms=250");
  ASSERT_TRUE(latency);
  EXPECT_EQ(latency.value().kind, FaultKind::none);
  EXPECT_EQ(latency.value().latency_min, std::chrono::milliseconds(250));
  EXPECT_EQ(latency.value().latency_max, std::chrono::milliseconds(250));

  for (const char* bad : {"", "latency", "latency_ms=20-10", "latency_ms=x", "retry_after=1", "wat",
                          "500;hang", "500;colour=red"}) {
    SCOPED_TRACE(bad);
    auto parsed = parse_fault(bad);
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error().code, errc::invalid_argument);
  }
}

TEST(MockRules, ValidateRuleRejectsEmptyAndBadRegex) {
  Rule rule;
  EXPECT_FALSE(validate_rule(rule, "r"));
  rule.responses.emplace_back();
  EXPECT_TRUE(validate_rule(rule, "r"));
  rule.match.user_regex = "[";
  auto bad = validate_rule(rule, "r");
  ASSERT_FALSE(bad);
  EXPECT_TRUE(bad.error().message.starts_with("r: user_regex: ")) << bad.error().message;
}

}  // namespace
}  // namespace opsgraph::mock::testing
