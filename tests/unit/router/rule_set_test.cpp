// RuleSet: the built-in rules load; a wrong rule file is refused with the file, the rule (index
// and id) and the field in the message.
#include <gtest/gtest.h>

#include <fstream>
#include <opsgraph/router/rule_set.hpp>
#include <string>

#include "support/temp_dir.hpp"

namespace opsgraph::router {
namespace {

// A valid file of two rules; tests replace one fragment to break it.
std::string rule_file(std::string_view second_rule) {
  return R"({"version": 1, "categories": ["database", "general"], "rules": [
      {"id": "read_only", "keywords": ["read-only"]},
      )" +
         std::string(second_rule) + "]}";
}

constexpr std::string_view kGoodRule =
    R"({"id": "drop_database", "keywords": ["drop"], "risk": "high", "category": "database"})";

std::string error_of(std::string_view text) {
  auto rules = RuleSet::parse(text, "router.json");
  EXPECT_FALSE(rules) << "expected the file to be refused";
  if (rules)
    return {};
  EXPECT_EQ(rules.error().code, errc::invalid_argument);
  return rules.error().message;
}

TEST(RuleSet, DefaultsLoadAndNameTheirSource) {
  auto rules = RuleSet::defaults();
  ASSERT_TRUE(rules) << rules.error().message;
  EXPECT_GT(rules.value().file().rules.size(), 30u);
  EXPECT_EQ(rules.value().source(), "router.json (built in)");
}

TEST(RuleSet, AGoodFileParses) {
  auto rules = RuleSet::parse(rule_file(kGoodRule), "router.json");
  ASSERT_TRUE(rules) << rules.error().message;
  EXPECT_EQ(rules.value().file().rules[1].id, "drop_database");
  EXPECT_EQ(rules.value().file().rules[1].risk, Level::high);
}

TEST(RuleSet, AWrongEnumNamesFileRuleAndField) {
  const std::string message =
      error_of(rule_file(R"({"id": "drop_database", "keywords": ["drop"], "risk": "severe"})"));
  EXPECT_EQ(message.rfind(R"(router.json: rules[1] ("drop_database"): field "risk": )", 0), 0u)
      << message;
  EXPECT_NE(message.find("low, medium, high"), std::string::npos) << message;
}

TEST(RuleSet, UnknownAgentAndUnknownFieldAreErrors) {
  const std::string agent = error_of(
      rule_file(R"({"id": "drop_database", "keywords": ["drop"], "agents": ["janitor"]})"));
  EXPECT_NE(agent.find(R"(rules[1] ("drop_database"): field "agents[0]")"), std::string::npos)
      << agent;
  const std::string field =
      error_of(rule_file(R"({"id": "drop_database", "keywords": ["drop"], "severity": 3})"));
  EXPECT_NE(field.find("unknown field"), std::string::npos) << field;
}

TEST(RuleSet, DuplicateIdsAreErrors) {
  const std::string message = error_of(rule_file(R"({"id": "read_only", "keywords": ["x"]})"));
  EXPECT_NE(message.find(R"(rules[1] ("read_only"): field "id": duplicate rule id)"),
            std::string::npos)
      << message;
}

TEST(RuleSet, BadRegexesCarryRe2sMessage) {
  const std::string message =
      error_of(rule_file(R"({"id": "drop_database", "patterns": ["ok", "drop (table"]})"));
  EXPECT_NE(message.find(R"(field "patterns[1]": invalid regex: missing ))"), std::string::npos)
      << message;
}

TEST(RuleSet, UnknownCategoriesAreErrors) {
  const std::string message = error_of(
      rule_file(R"({"id": "drop_database", "keywords": ["drop"], "category": "mainframe"})"));
  EXPECT_NE(message.find(R"(field "category": unknown category "mainframe")"), std::string::npos)
      << message;
}

TEST(RuleSet, ReferencesMustNameEarlierRules) {
  const std::string unknown =
      error_of(rule_file(R"({"id": "drop_database", "keywords": ["drop"], "unless": ["nope"]})"));
  EXPECT_NE(unknown.find(R"(field "unless": unknown rule "nope")"), std::string::npos) << unknown;
  const std::string self = error_of(
      rule_file(R"({"id": "drop_database", "keywords": ["drop"], "all_of": ["drop_database"]})"));
  EXPECT_NE(self.find(R"(field "all_of")"), std::string::npos) << self;
}

TEST(RuleSet, RangesAndEmptyRulesAreChecked) {
  EXPECT_NE(error_of(rule_file(R"({"id": "x", "keywords": ["a"], "risk": "low", "score": 0.9})"))
                .find("outside its risk level's band"),
            std::string::npos);
  EXPECT_NE(error_of(rule_file(R"({"id": "x", "keywords": ["a"], "complexity": 2})"))
                .find(R"(field "complexity")"),
            std::string::npos);
  EXPECT_NE(error_of(rule_file(R"({"id": "x"})")).find("a rule needs keywords"), std::string::npos);
  EXPECT_NE(error_of(rule_file(R"({"id": "Bad Id", "keywords": ["a"]})")).find(R"(field "id")"),
            std::string::npos);
  EXPECT_NE(error_of(rule_file(R"({"id": "x", "keywords": ["a*b"]})")).find("'*' may only end"),
            std::string::npos);
}

TEST(RuleSet, FileLevelErrorsNameTheFile) {
  EXPECT_EQ(error_of("{\"version\": 1,").rfind("router.json: ", 0), 0u);
  EXPECT_NE(error_of(R"({"version": 2, "categories": ["general"], "rules": []})").find("version"),
            std::string::npos);
  EXPECT_NE(
      error_of(R"({"version": 1, "categories": ["dns"], "rules": []})").find("default_category"),
      std::string::npos);
}

TEST(RuleSet, LoadReadsAFileAndReportsAMissingOne) {
  testing::TempDir dir;
  const std::string path = dir.file("rules.json");
  std::ofstream(path) << rule_file(kGoodRule);
  auto rules = RuleSet::load(path);
  ASSERT_TRUE(rules) << rules.error().message;
  EXPECT_EQ(rules.value().source(), path);

  auto missing = RuleSet::load(dir.file("absent.json"));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, errc::not_found);

  std::ofstream(path) << rule_file(R"({"id": "drop_database", "risk": "severe", "keywords": []})");
  auto broken = RuleSet::load(path);
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.error().message.rfind(path + ": rules[1]", 0), 0u) << broken.error().message;
}

}  // namespace
}  // namespace opsgraph::router
