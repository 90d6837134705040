// Loading a replacement rule file: a valid one replaces the defaults, and each kind of mistake is
// reported with the file, the rule (index and id) and the field.

#include <gtest/gtest.h>

#include <fstream>
#include <opsgraph/safety/script_checker.hpp>
#include <string>

#include "support/temp_dir.hpp"

namespace opsgraph::safety {
namespace {

class RuleFile : public ::testing::Test {
 protected:
  result<ScriptChecker> load(const std::string& text) {
    const std::string path = dir_.file("my_rules.json");
    std::ofstream(path) << text;
    ScriptCheckerOptions options;
    options.rules_path = path;
    return ScriptChecker::create(options);
  }

  void expect_error(const std::string& text, const std::string& message) {
    auto loaded = load(text);
    ASSERT_FALSE(loaded) << text;
    EXPECT_EQ(loaded.error().code, errc::invalid_argument);
    EXPECT_EQ(loaded.error().message, message);
  }

  static std::string rule(const std::string& fields) {
    return R"({"version": 1, "rules": [{"id": "ok_rule", "category": "shutdown_reboot", )"
           R"("severity": "high", "languages": ["bash"], "patterns": ["{cmd}halt"], )"
           R"("message": "m"}, {)" +
           fields + "}]}";
  }

  opsgraph::testing::TempDir dir_;
};

TEST_F(RuleFile, ReplacesTheDefaultRules) {
  auto checker = load(
      R"({"version": 1, "rules": [{"id": "no_sleep", "category": "resource_exhaustion",
          "severity": "low", "languages": ["bash", "python"], "patterns": ["{cmd}sleep\\s+\\d{4,}"],
          "unless": ["sleep\\s+9999"], "message": "Sleeps for hours."}]})");
  ASSERT_TRUE(checker) << checker.error().message;
  auto findings = checker.value().scan("sleep 36000\nrm -rf /\nsleep 9999\n", Language::bash);
  ASSERT_TRUE(findings);
  ASSERT_EQ(findings.value().size(), 1u);
  EXPECT_EQ(findings.value()[0].rule, "no_sleep");
  EXPECT_EQ(findings.value()[0].severity, Severity::low);
  EXPECT_EQ(findings.value()[0].line, 1u);
}

TEST_F(RuleFile, NamesTheRuleAndFieldThatIsWrong) {
  const std::string base =
      R"("id": "rm_rf_root", "category": "destructive_delete", "languages": ["bash"], )"
      R"("patterns": ["rm"], "message": "m")";
  expect_error(rule(base + R"(, "severity": "fatal")"),
               "my_rules.json: rules[1] (\"rm_rf_root\"): field \"severity\": expected one of "
               "info, low, medium, high, critical");
  expect_error(rule(R"("id": "x", "category": "mischief", "severity": "low", "languages": ["bash"],
                       "patterns": ["rm"], "message": "m")"),
               "my_rules.json: rules[1] (\"x\"): field \"category\": \"mischief\" is not one of "
               "the categories in docs/safety.md");
  expect_error(
      rule(R"("id": "x", "category": "disk_wipe", "severity": "low", "languages": ["cobol"],
                       "patterns": ["rm"], "message": "m")"),
      "my_rules.json: rules[1] (\"x\"): field \"languages\": unknown script language "
      "\"cobol\": expected bash, powershell, python or azurecli");
  expect_error(rule(R"("id": "x", "category": "disk_wipe", "severity": "low", "languages": ["bash"],
                       "patterns": [], "message": "m")"),
               "my_rules.json: rules[1] (\"x\"): field \"patterns\": expected a non-empty array "
               "of strings");
  expect_error(rule(R"("id": "x", "category": "disk_wipe", "severity": "low", "languages": ["bash"],
                       "patterns": ["rm ("], "message": "m")"),
               "my_rules.json: rules[1] (\"x\"): field \"patterns[0]\": not a valid RE2 pattern: "
               "missing ): rm (");
  expect_error(rule(R"("category": "disk_wipe")"),
               "my_rules.json: rules[1]: field \"id\": missing");
  expect_error(rule(R"("id": "ok_rule", "category": "disk_wipe", "severity": "low",
                       "languages": ["bash"], "patterns": ["x"], "message": "m")"),
               "my_rules.json: rules[1] (\"ok_rule\"): field \"id\": used by an earlier rule");
}

TEST_F(RuleFile, ChecksTheDocumentAroundTheRules) {
  expect_error(R"({"version": 2, "rules": []})", "my_rules.json: field \"version\": expected 1");
  expect_error(R"({"version": 1})", "my_rules.json: field \"rules\": expected an array of rules");
  auto broken = load("{\"version\": 1,");
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.error().message.rfind("my_rules.json: ", 0), 0u) << broken.error().message;
}

TEST_F(RuleFile, MissingFileIsNotFound) {
  ScriptCheckerOptions options;
  options.rules_path = dir_.file("absent.json");
  auto checker = ScriptChecker::create(options);
  ASSERT_FALSE(checker);
  EXPECT_EQ(checker.error().code, errc::not_found);
}

}  // namespace
}  // namespace opsgraph::safety
