// The lexers' flat, reused buffers seen through scan(): inputs at the edges of what they hold
// (nothing, a 1 MiB line, bytes that are not UTF-8, NUL bytes) and words that live in the source
// next to words rebuilt in the buffer, or here-document bodies attached to an earlier command.

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "unit/safety/safety_test_support.hpp"

namespace opsgraph::safety {
namespace {

using namespace std::string_literals;
using testing::describe;
using testing::find_rule;
using testing::scan;

constexpr Language kLanguages[] = {Language::bash, Language::azurecli, Language::powershell,
                                   Language::python};

// A dangerous line of each language, and the rule that reports it.
struct Dangerous {
  Language language;
  std::string_view line;
  std::string_view rule;
};
constexpr Dangerous kDangerous[] = {
    {Language::bash, "rm -rf /", "rm_rf_root"},
    {Language::powershell, "Remove-Item C:\\ -Recurse -Force", "ps_remove_system_path"},
    {Language::python, "shutil.rmtree(\"/\")", "py_rmtree_system_path"},
};

void expect_rule_at(const std::string& script, Language language, std::string_view rule,
                    std::size_t line) {
  const auto findings = scan(script, language);
  const Finding* finding = find_rule(findings, rule);
  ASSERT_NE(finding, nullptr) << "expected " << rule << ", got " << describe(findings);
  EXPECT_EQ(finding->line, line);
}

TEST(LexerBuffers, EmptyAndBlankScriptsAreClean) {
  for (Language language : kLanguages) {
    EXPECT_TRUE(scan("", language).empty()) << to_string(language);
    EXPECT_TRUE(scan("\n\n  \t\n", language).empty()) << to_string(language);
  }
}

TEST(LexerBuffers, OneMebibyteLineBeforeADangerousOne) {
  const std::string long_word((std::size_t{1} << 20) - 256, 'a');
  for (const Dangerous& d : kDangerous) {
    // Unquoted (a view of the source) and quoted (rebuilt in the buffer).
    expect_rule_at(long_word + "\n" + std::string(d.line) + "\n", d.language, d.rule, 2);
    expect_rule_at("x = '" + long_word + "'\n" + std::string(d.line) + "\n", d.language, d.rule, 2);
  }
}

TEST(LexerBuffers, InvalidUtf8DoesNotHideACommand) {
  // Stray continuation bytes, a truncated sequence and bytes never valid in UTF-8.
  const std::string junk = "\xff\xfe \xc3 \x80\x80 '\xe2\xa1' \"\xc0\xaf\"";
  for (const Dangerous& d : kDangerous)
    expect_rule_at(junk + "\n" + std::string(d.line) + "\n", d.language, d.rule, 2);
  expect_rule_at("echo \xff\xfe; rm -rf /\n", Language::bash, "rm_rf_root", 1);
}

TEST(LexerBuffers, NulBytesDoNotEndTheScript) {
  for (const Dangerous& d : kDangerous) {
    expect_rule_at("a\0b \"c\0d\"\n"s + std::string(d.line) + "\n", d.language, d.rule, 2);
    expect_rule_at("\0\n"s + std::string(d.line) + "\n\0"s, d.language, d.rule, 2);
  }
}

TEST(LexerBuffers, QuotedWordsOfOneLineDoNotLeakIntoTheNext) {
  expect_rule_at("a=\"$HOME/x\" b='r''m' c=\"-rf\"\nls -l /tmp\n$b $c /\n", Language::bash,
                 "rm_rf_root", 3);
  EXPECT_TRUE(scan("echo \"rm -rf /\" 'x'\nls /\n", Language::bash).empty());
}

TEST(LexerBuffers, HereDocumentBodiesJoinTheCommandThatReadsThem) {
  // The body belongs to bash even though another command follows on its line.
  expect_rule_at("bash <<EOF; echo done\nrm -rf /\nEOF\n", Language::bash, "rm_rf_root", 2);
  // Two bodies on one line, each to its own interpreter.
  const std::string two =
      "bash <<A; python3 <<B\nrm -rf /\nA\nimport shutil\n"
      "shutil.rmtree(\"/\")\nB\n";
  expect_rule_at(two, Language::bash, "rm_rf_root", 2);
  expect_rule_at(two, Language::bash, "py_rmtree_system_path", 4);
}

TEST(LexerBuffers, PowerShellJoinsStringsOfEveryQuoteStyleRebuiltSideBySide) {
  // Single-quoted, double-quoted (with a tick escape), here-string and ticked words are rebuilt in
  // the lexer's text, between views of the source; joins read all of them.
  expect_rule_at("$a = 'Rest' + \"art-\" + 'Com' + \"put`er\"\n& $a -Force\n", Language::powershell,
                 "ps_shutdown_reboot", 2);
  expect_rule_at("$v = @'\nRestart-\n'@ + 'Computer'\nGet-Date\n& $v -Force\n",
                 Language::powershell, "ps_shutdown_reboot", 5);
  expect_rule_at("Get-Date; R`es`tart-Com`puter -Force; $X = 'a'\n", Language::powershell,
                 "ps_shutdown_reboot", 1);
  expect_rule_at("$Cmd = 'Stop-' + 'Computer'\nInvoke-Expression $CMD\n", Language::powershell,
                 "ps_shutdown_reboot", 2);
}

TEST(LexerBuffers, PythonJoinsLiteralsOfEveryKindRebuiltSideBySide) {
  // Adjacent and `+`-joined literals, escapes, raw and triple-quoted strings are rebuilt in the
  // lexer's text between names that view the source; each join reads as one value.
  const std::string script =
      "import os\ncmd = \"rm \" '-rf' + \" /\"\nos.system(cmd)\n"
      "os.system(\"r\\x6d -rf \" r\"/\" \"\"\" \"\"\")\n";
  const auto findings = scan(script, Language::python);
  std::vector<std::size_t> lines;
  for (const Finding& finding : findings) {
    if (finding.rule == "rm_rf_root")
      lines.push_back(finding.line);
  }
  EXPECT_EQ(lines, (std::vector<std::size_t>{3, 4})) << describe(findings);
}

TEST(LexerBuffers, ShellWordsRebuiltBeforeTheBufferGrowsKeepTheirText) {
  // "r"m and -"r"f are rebuilt while the line's buffer is small; the long quoted words after them
  // make it grow (and move) before the line is handed on.
  const std::string grows =
      "echo start\n\"r\"m -\"r\"f / \"" + std::string(5000, 'x') + "\" \"$HOME\"\n";
  expect_rule_at(grows, Language::bash, "rm_rf_root", 2);
  // A here-document body written after words that grew the buffer still reaches its shell.
  const std::string body = "\"b\"ash <<A \"" + std::string(3000, 'y') + "\"; \"e\"cho \"" +
                           std::string(9000, 'z') + "\"\nrm -rf /\nA\n";
  expect_rule_at(body, Language::bash, "rm_rf_root", 2);
}

}  // namespace
}  // namespace opsgraph::safety
