// The real syntax checkers: bash -n (including its exit-0 errors), Python's ast with positions,
// and the structural PowerShell check when pwsh is absent.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "support/temp_dir.hpp"
#include "unit/safety/safety_test_support.hpp"

namespace opsgraph::safety {
namespace {

SyntaxReport syntax_of(std::string_view script, Language language) {
  auto report = testing::default_checker().check(script, language);
  EXPECT_TRUE(report) << report.error().message;
  return report ? report.value().syntax : SyntaxReport{};
}

TEST(BashSyntax, AcceptsAValidScript) {
  if (testing::default_checker().bash_path().empty())
    GTEST_SKIP() << "bash is not installed";
  const SyntaxReport report = syntax_of("if true; then\n  echo ok\nfi\n", Language::bash);
  EXPECT_TRUE(report.ok);
  EXPECT_EQ(report.checker, "bash -n");
  EXPECT_FALSE(report.structural_only);
  EXPECT_TRUE(report.errors.empty());
}

TEST(BashSyntax, ReportsTheLineOfAnError) {
  if (testing::default_checker().bash_path().empty())
    GTEST_SKIP() << "bash is not installed";
  const SyntaxReport report = syntax_of("echo a\necho b\nfi\n", Language::bash);
  EXPECT_FALSE(report.ok);
  ASSERT_EQ(report.errors.size(), 1u);
  EXPECT_EQ(report.errors[0].line, 3u);
  EXPECT_NE(report.errors[0].message.find("syntax error"), std::string::npos);
}

TEST(BashSyntax, ExitZeroSyntaxErrorStillFails) {
  if (testing::default_checker().bash_path().empty())
    GTEST_SKIP() << "bash is not installed";
  // bash -n exits 0 on both, printing "syntax error in conditional expression" and "unexpected
  // argument `]]' to conditional unary operator".
  for (const char* script : {"echo start\n[[ -f a b ]]\n", "echo start\n[[ -f ]]\n"}) {
    const SyntaxReport report = syntax_of(script, Language::bash);
    EXPECT_FALSE(report.ok) << script;
    ASSERT_FALSE(report.errors.empty()) << script;
    EXPECT_EQ(report.errors[0].line, 2u) << script;
  }
}

TEST(BashSyntax, AzureCliListsAreCheckedAsShell) {
  if (testing::default_checker().bash_path().empty())
    GTEST_SKIP() << "bash is not installed";
  EXPECT_TRUE(syntax_of("az group list -o table\n", Language::azurecli).ok);
  EXPECT_FALSE(syntax_of("az vm list --query \"[].name\n", Language::azurecli).ok);
}

TEST(PythonSyntax, ReportsLineAndColumn) {
  if (testing::default_checker().python_path().empty())
    GTEST_SKIP() << "python3 is not installed";
  const SyntaxReport ok = syntax_of("import os\nprint(os.getcwd())\n", Language::python);
  EXPECT_TRUE(ok.ok);
  EXPECT_EQ(ok.checker, "python ast");
  const SyntaxReport bad = syntax_of("x = 1\n\ndef f(:\n    pass\n", Language::python);
  EXPECT_FALSE(bad.ok);
  ASSERT_EQ(bad.errors.size(), 1u);
  EXPECT_EQ(bad.errors[0].line, 3u);
  EXPECT_GT(bad.errors[0].column, 0u);
  EXPECT_FALSE(bad.errors[0].message.empty());
}

TEST(PythonSyntax, NeverRunsTheScript) {
  if (testing::default_checker().python_path().empty())
    GTEST_SKIP() << "python3 is not installed";
  // If the script ran, it would exit 1 and look like a syntax error.
  EXPECT_TRUE(syntax_of("import sys\nsys.exit(1)\n", Language::python).ok);
}

TEST(PythonSyntax, NulBytesAreASyntaxErrorNotACrash) {
  if (testing::default_checker().python_path().empty())
    GTEST_SKIP() << "python3 is not installed";
  EXPECT_FALSE(syntax_of(std::string("x = 1\n\0\n", 8), Language::python).ok);
}

TEST(PowerShellSyntax, FallsBackToTheStructuralCheckAndSaysSo) {
  if (!testing::default_checker().pwsh_path().empty())
    GTEST_SKIP() << "pwsh is installed: the real parser is used";
  const SyntaxReport report =
      syntax_of("Get-Process | Where-Object { $_.CPU -gt 10 }\n", Language::powershell);
  EXPECT_TRUE(report.ok);
  EXPECT_EQ(report.checker, "structural");
  EXPECT_TRUE(report.structural_only);
}

}  // namespace
}  // namespace opsgraph::safety

namespace opsgraph::safety {
namespace {

TEST(ToolResolution, PathsAreAbsoluteWithSymlinksResolved) {
  const ScriptChecker& checker = testing::default_checker();
  for (const std::string* path : {&checker.bash_path(), &checker.python_path()}) {
    if (path->empty())
      continue;
    EXPECT_EQ(path->front(), '/') << *path;
    EXPECT_EQ(std::filesystem::canonical(*path).string(), *path);
  }
}

TEST(ToolResolution, APythonWrapperScriptIsResolvedToItsInterpreter) {
  if (testing::default_checker().python_path().empty())
    GTEST_SKIP() << "python3 is not installed";
  opsgraph::testing::TempDir dir;
  const std::string shim = dir.file("python3");
  std::ofstream(shim) << "#!/bin/sh\nexec " << testing::default_checker().python_path()
                      << " \"$@\"\n";
  std::filesystem::permissions(shim, std::filesystem::perms::owner_all);
  ScriptCheckerOptions options;
  options.python_path = shim;
  auto checker = ScriptChecker::create(options);
  ASSERT_TRUE(checker) << checker.error().message;
  EXPECT_EQ(checker.value().python_path(), testing::default_checker().python_path());
}

}  // namespace
}  // namespace opsgraph::safety
