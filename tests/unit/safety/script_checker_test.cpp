// ScriptChecker::check with a ProcessRunner double: what it asks the tools, how it reads their
// answers (shellcheck JSON, pwsh errors), and what the report says when a tool is missing, fails
// or times out. Also the report's derived verdicts and its JSON form.

#include <gtest/gtest.h>

#include <functional>
#include <mutex>
#include <opsgraph/core/json.hpp>
#include <opsgraph/safety/script_checker.hpp>
#include <string>
#include <vector>

namespace opsgraph::safety {
namespace {

// Answers each run with `respond` and records the requests.
class FakeRunner final : public ProcessRunner {
 public:
  std::function<ProcessResult(const ProcessRequest&)> respond = [](const ProcessRequest&) {
    return ProcessResult{0, 0, false, "", "", false};
  };

  result<ProcessResult> run(const ProcessRequest& request) const override {
    std::lock_guard lock(mutex_);
    requests_.push_back(request);
    return respond(request);
  }

  std::vector<ProcessRequest> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }

 private:
  mutable std::mutex mutex_;
  mutable std::vector<ProcessRequest> requests_;
};

ScriptCheckerOptions fake_tools(const FakeRunner& runner) {
  ScriptCheckerOptions options;
  options.bash_path = "/fake/bash";
  options.python_path = "/fake/python3";
  options.shellcheck_path = "/fake/shellcheck";
  options.pwsh_path = "/fake/pwsh";
  options.runner = &runner;
  return options;
}

bool is(const ProcessRequest& request, std::string_view program) {
  return !request.argv.empty() && request.argv[0] == program;
}

TEST(ScriptChecker, ReadsShellcheckJsonIntoLintFindings) {
  FakeRunner runner;
  runner.respond = [](const ProcessRequest& request) {
    ProcessResult result{0, 0, false, "", "", false};
    if (is(request, "/fake/shellcheck") && request.argv[1] == "--version") {
      result.stdout_text = "ShellCheck - shell script analysis tool\nversion: 0.9.0\n";
    } else if (is(request, "/fake/shellcheck")) {
      result.exit_code = 1;
      result.stdout_text =
          R"([{"file":"script.sh","line":2,"column":6,"level":"warning","code":2086,"message":"Double quote to prevent globbing."},
              {"file":"script.sh","line":1,"column":1,"level":"error","code":1073,"message":"Broken."}])";
    }
    return result;
  };
  auto checker = ScriptChecker::create(fake_tools(runner));
  ASSERT_TRUE(checker) << checker.error().message;
  auto report = checker.value().check("x=1\necho $x\n", Language::bash);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report.value().lint_tool, "shellcheck 0.9.0");
  ASSERT_EQ(report.value().findings.size(), 2u);
  const Finding& first = report.value().findings[0];
  EXPECT_EQ(first.rule, "SC1073");
  EXPECT_EQ(first.severity, Severity::medium);
  const Finding& second = report.value().findings[1];
  EXPECT_EQ(second.rule, "SC2086");
  EXPECT_EQ(second.category, "lint");
  EXPECT_EQ(second.severity, Severity::low);
  EXPECT_EQ(second.line, 2u);
  EXPECT_EQ(second.column, 6u);
  EXPECT_EQ(second.excerpt, "echo $x");
  EXPECT_FALSE(report.value().lint_passed()) << "an error-level lint finding fails lint";

  // The script reaches each tool as a file in the working directory, never through a shell.
  bool saw_bash = false;
  for (const ProcessRequest& request : runner.requests()) {
    if (!is(request, "/fake/bash"))
      continue;
    saw_bash = true;
    EXPECT_EQ(request.argv, (std::vector<std::string>{"/fake/bash", "-n", "script.sh"}));
    ASSERT_EQ(request.files.size(), 1u);
    EXPECT_EQ(request.files[0].content, "x=1\necho $x\n");
  }
  EXPECT_TRUE(saw_bash);
}

TEST(ScriptChecker, UsesPwshWhenAvailableAndReadsItsErrors) {
  FakeRunner runner;
  runner.respond = [](const ProcessRequest& request) {
    ProcessResult result{0, 0, false, "", "", false};
    if (is(request, "/fake/pwsh")) {
      result.exit_code = 1;
      result.stdout_text = "3:7:Missing closing '}' in statement block.\n";
    }
    return result;
  };
  auto checker = ScriptChecker::create(fake_tools(runner));
  ASSERT_TRUE(checker);
  auto report = checker.value().check("a\nb\nif ($x) {\n", Language::powershell);
  ASSERT_TRUE(report);
  EXPECT_EQ(report.value().syntax.checker, "pwsh");
  EXPECT_FALSE(report.value().syntax.structural_only);
  EXPECT_FALSE(report.value().syntax.ok);
  ASSERT_EQ(report.value().syntax.errors.size(), 1u);
  EXPECT_EQ(report.value().syntax.errors[0].line, 3u);
  EXPECT_EQ(report.value().syntax.errors[0].column, 7u);
  EXPECT_EQ(report.value().lint_tool, "");
}

TEST(ScriptChecker, MissingToolsAreReportedNotFatal) {
  FakeRunner runner;
  ScriptCheckerOptions options;
  options.bash_path = "";
  options.python_path = "";
  options.shellcheck_path = "";
  options.pwsh_path = "";
  options.runner = &runner;
  auto checker = ScriptChecker::create(options);
  ASSERT_TRUE(checker);
  auto bash = checker.value().check("echo hi\n", Language::bash);
  ASSERT_TRUE(bash);
  EXPECT_EQ(bash.value().syntax.checker, "none");
  EXPECT_TRUE(bash.value().syntax.structural_only);
  EXPECT_EQ(bash.value().lint_tool, "");
  auto python = checker.value().check("print(1)\n", Language::python);
  ASSERT_TRUE(python);
  EXPECT_EQ(python.value().syntax.checker, "none");
  auto powershell = checker.value().check("Get-Date\n", Language::powershell);
  ASSERT_TRUE(powershell);
  EXPECT_EQ(powershell.value().syntax.checker, "structural");
  EXPECT_TRUE(runner.requests().empty());
}

TEST(ScriptChecker, ATimedOutParserFailsTheSyntaxCheck) {
  FakeRunner runner;
  runner.respond = [](const ProcessRequest& request) {
    ProcessResult result{0, 0, false, "", "", false};
    if (is(request, "/fake/python3")) {
      result.exit_code = -1;
      result.signal = 9;
      result.timed_out = true;
    }
    return result;
  };
  auto checker = ScriptChecker::create(fake_tools(runner));
  ASSERT_TRUE(checker);
  auto report = checker.value().check("print(1)\n", Language::python);
  ASSERT_TRUE(report);
  EXPECT_FALSE(report.value().syntax.ok);
  ASSERT_EQ(report.value().syntax.errors.size(), 1u);
  EXPECT_NE(report.value().syntax.errors[0].message.find("did not finish"), std::string::npos);
}

TEST(ScriptChecker, AzureCliListsFlagCommandsThatAreNotAz) {
  FakeRunner runner;
  auto checker = ScriptChecker::create(fake_tools(runner));
  ASSERT_TRUE(checker);
  auto report = checker.value().check(
      "set -e\n# list VMs\nRG=my-rg\naz vm list -g \"$RG\" -o table\ncurl -s http://x\n",
      Language::azurecli);
  ASSERT_TRUE(report);
  ASSERT_EQ(report.value().findings.size(), 1u);
  EXPECT_EQ(report.value().findings[0].rule, "az_non_az_command");
  EXPECT_EQ(report.value().findings[0].severity, Severity::low);
  EXPECT_EQ(report.value().findings[0].line, 5u);
  EXPECT_TRUE(report.value().lint_passed());
}

TEST(ScriptChecker, NsgRulesOpenToAnySourceAreFlaggedButDenyRulesAreNot) {
  FakeRunner runner;
  auto checker = ScriptChecker::create(fake_tools(runner));
  ASSERT_TRUE(checker);
  const std::string rule =
      "az network nsg rule create -g rg --nsg-name nsg1 --name r --priority 100 --protocol Tcp "
      "--destination-port-ranges 3389 ";
  auto rules_fired = [&](const std::string& tail) {
    auto findings = checker.value().scan(rule + tail + "\n", Language::azurecli);
    EXPECT_TRUE(findings);
    std::vector<std::string> ids;
    for (const auto& f : findings.value())
      ids.push_back(f.rule);
    return ids;
  };
  const std::vector<std::string> open{"open_firewall_to_world"};
  EXPECT_EQ(rules_fired("--access Allow --source-address-prefixes '*'"), open);
  EXPECT_EQ(rules_fired("--access Allow --source-address-prefixes *"), open);
  EXPECT_EQ(rules_fired("--access Allow --source-address-prefixes Internet"), open);
  EXPECT_EQ(rules_fired("--source-address-prefixes 0.0.0.0/0 --access Allow"), open);
  EXPECT_TRUE(rules_fired("--access Deny --source-address-prefixes '*'").empty());
  EXPECT_TRUE(rules_fired("--access Allow --source-address-prefixes 10.0.0.0/24").empty());
  EXPECT_TRUE(rules_fired("--access Allow --source-address-prefixes AnyNetworkTag").empty());
}

TEST(ScriptChecker, BlockingFindingsAndLintVerdictAreDerived) {
  FakeRunner runner;
  auto checker = ScriptChecker::create(fake_tools(runner));
  ASSERT_TRUE(checker);
  auto clean = checker.value().check("echo hi\n", Language::bash);
  ASSERT_TRUE(clean);
  EXPECT_TRUE(clean.value().lint_passed());
  EXPECT_FALSE(clean.value().has_blocking_findings());
  auto dangerous = checker.value().check("echo hi\nrm -rf /\n", Language::bash);
  ASSERT_TRUE(dangerous);
  EXPECT_FALSE(dangerous.value().lint_passed());
  EXPECT_TRUE(dangerous.value().has_blocking_findings());
}

TEST(ScriptChecker, RefusesOversizedScriptsBeforeRunningAnything) {
  FakeRunner runner;
  ScriptCheckerOptions options = fake_tools(runner);
  options.max_script_bytes = 8;
  auto checker = ScriptChecker::create(options);
  ASSERT_TRUE(checker);
  const std::size_t before = runner.requests().size();
  auto report = checker.value().check("echo 123456789\n", Language::bash);
  ASSERT_FALSE(report);
  EXPECT_EQ(report.error().code, errc::payload_too_large);
  EXPECT_EQ(runner.requests().size(), before);
}

TEST(CheckReport, JsonHasSnakeCaseFieldsAndRecomputesLintPassed) {
  CheckReport report;
  report.language = Language::bash;
  report.syntax = SyntaxReport{true, "bash -n", false, {}};
  report.findings.push_back(Finding{"rm_rf_root", "destructive_delete", Severity::critical, 3, 1,
                                    "rm -rf /", "Never approve."});
  report.lint_tool = "shellcheck 0.9.0";
  const std::string text = json::encode(report);
  EXPECT_EQ(text,
            R"({"language":"bash","lint_passed":false,"syntax":{"ok":true,"checker":"bash -n",)"
            R"("structural_only":false,"errors":[]},"findings":[{"rule":"rm_rf_root",)"
            R"("category":"destructive_delete","severity":"critical","line":3,"column":1,)"
            R"("excerpt":"rm -rf /","message":"Never approve."}],"lint_tool":"shellcheck 0.9.0"})");
  auto back = json::decode<CheckReport>(text);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back.value(), report);

  // A claimed pass is ignored: the verdict comes from the findings.
  std::string claimed = text;
  claimed.replace(claimed.find("\"lint_passed\":false"), 19, "\"lint_passed\":true");
  auto forged = json::decode<CheckReport>(claimed);
  ASSERT_TRUE(forged);
  EXPECT_FALSE(forged.value().lint_passed());

  auto missing = json::decode<CheckReport>(R"({"findings":[]})");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("language"), std::string::npos);
}

}  // namespace
}  // namespace opsgraph::safety
