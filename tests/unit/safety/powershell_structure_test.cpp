// The structural PowerShell check (pwsh disabled): brackets, strings, here-strings and comments.

#include <gtest/gtest.h>

#include "unit/safety/safety_test_support.hpp"

namespace opsgraph::safety {
namespace {

SyntaxReport structure_of(std::string_view script) {
  static const ScriptChecker checker = [] {
    ScriptCheckerOptions options;
    options.pwsh_path = "";
    return ScriptChecker::create(options).value();
  }();
  auto report = checker.check(script, Language::powershell);
  EXPECT_TRUE(report) << report.error().message;
  EXPECT_EQ(report.value().syntax.checker, "structural");
  EXPECT_TRUE(report.value().syntax.structural_only);
  return report.value().syntax;
}

void expect_ok(std::string_view script) {
  const SyntaxReport report = structure_of(script);
  EXPECT_TRUE(report.ok) << script << "\n"
                         << (report.errors.empty() ? "" : report.errors[0].message);
}

void expect_error_at(std::string_view script, std::size_t line, std::size_t column) {
  const SyntaxReport report = structure_of(script);
  EXPECT_FALSE(report.ok) << script;
  ASSERT_EQ(report.errors.size(), 1u) << script;
  EXPECT_EQ(report.errors[0].line, line) << script << ": " << report.errors[0].message;
  EXPECT_EQ(report.errors[0].column, column) << script << ": " << report.errors[0].message;
}

TEST(PowerShellStructure, AcceptsBalancedScripts) {
  expect_ok("foreach ($s in @('a', 'b')) {\n  if ($s -eq 'a') { $h = @{ k = $s[0] } }\n}\n");
  expect_ok("Write-Host 'it''s fine ) }'\n");
  expect_ok("Write-Host \"tick `\" quote ) and \"\"doubled\"\" and $($x.Name + \")\")\"\n");
  expect_ok("# a comment with ( and {\n<# block ( {\n #>\nGet-Date\n");
  expect_ok("$t = @\"\nline with \"@ inside ) {\n\"@\n$u = @'\n'@ not at start '@\n'@\n");
  expect_ok("Get-ChildItem `\n  -Path C:\\ `\n  -Recurse\n");
  expect_ok("$a#b = 1\n");
}

TEST(PowerShellStructure, ReportsUnclosedBracketsAtTheirOpening) {
  expect_error_at("Get-Date\nif ($x) {\n  Get-Date\n", 2, 9);
  expect_error_at("$a = (1 + 2\n", 1, 6);
}

TEST(PowerShellStructure, ReportsMismatchedAndStrayClosers) {
  expect_error_at("if ($x] { }\n", 1, 7);
  expect_error_at("Get-Date }\n", 1, 10);
}

TEST(PowerShellStructure, ReportsUnclosedStringsAndComments) {
  expect_error_at("Write-Host 'oops\n", 1, 12);
  expect_error_at("Write-Host \"oops `\"\n", 1, 12);
  expect_error_at("<# never closed\nGet-Date\n", 1, 1);
  expect_error_at("$x = @\"\nbody\n  \"@\n", 1, 6);
  expect_error_at("$x = @\" text on the header line\n\"@\n", 1, 6);
}

}  // namespace
}  // namespace opsgraph::safety
