// The syntax checks that run a real parser: bash -n, Python's ast, and pwsh's own parser.

#include <charconv>
#include <string>
#include <string_view>

#include "safety/powershell_structure.hpp"
#include "safety/python_checker.hpp"
#include "safety/tools.hpp"

namespace opsgraph::safety::detail {
namespace {

constexpr std::string_view kPwshProgram =
    "$tokens = $null; $errors = $null; "
    "[void][System.Management.Automation.Language.Parser]::ParseFile("
    "(Join-Path (Get-Location) 'script.ps1'), [ref]$tokens, [ref]$errors); "
    "foreach ($e in $errors) { '{0}:{1}:{2}' -f $e.Extent.StartLineNumber, "
    "$e.Extent.StartColumnNumber, $e.Message }; if ($errors.Count) { exit 1 }";

std::size_t to_number(std::string_view text) noexcept {
  std::size_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

// Runs `argv` on the script in script.<extension>; a run that did not complete fails the check,
// since nothing was proven.
result<ProcessResult> run_on_script(const ToolContext& context, std::vector<std::string> argv,
                                    std::string_view file_name, std::string_view script) {
  ProcessRequest request;
  request.argv = std::move(argv);
  request.files.push_back(InputFile{std::string(file_name), std::string(script)});
  request.timeout = context.timeout;
  request.max_output_bytes = 64 * 1024;
  return context.runner.run(request);
}

std::optional<SyntaxReport> incomplete(const std::string& checker,
                                       const result<ProcessResult>& ran) {
  if (!ran)
    return tool_failure_report(checker, checker + " could not run: " + ran.error().message);
  if (ran.value().timed_out)
    return tool_failure_report(checker, checker + " did not finish in time");
  if (ran.value().signal != 0)
    return tool_failure_report(
        checker, checker + " was killed by signal " + std::to_string(ran.value().signal));
  return std::nullopt;
}

// bash reports "script.sh: line 3: syntax error near unexpected token `fi'" and then echoes the
// line ("script.sh: line 3: `fi'"), which is not an error of its own.
void parse_bash_errors(std::string_view text, SyntaxReport& report) {
  constexpr std::string_view kLine = "line ";
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    const std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    const std::size_t at = line.find(kLine);
    const std::size_t colon = at == std::string_view::npos ? at : line.find(": ", at);
    if (colon == std::string_view::npos)
      continue;
    const std::string_view message = line.substr(colon + 2);
    if (message.starts_with('`') || message.starts_with("warning:"))
      continue;
    report.errors.push_back(
        SyntaxError{to_number(line.substr(at + kLine.size(), colon - at - kLine.size())), 0,
                    std::string(message)});
  }
}

}  // namespace

SyntaxReport tool_failure_report(std::string checker, std::string why) {
  SyntaxReport report;
  report.ok = false;
  report.checker = std::move(checker);
  report.errors.push_back(SyntaxError{0, 0, std::move(why)});
  return report;
}

void parse_located_errors(std::string_view text, SyntaxReport& report) {
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    const std::size_t first = line.find(':');
    const std::size_t second = first == std::string_view::npos ? first : line.find(':', first + 1);
    if (second == std::string_view::npos)
      continue;
    report.errors.push_back(SyntaxError{to_number(line.substr(0, first)),
                                        to_number(line.substr(first + 1, second - first - 1)),
                                        std::string(line.substr(second + 1))});
  }
}

SyntaxReport check_bash_syntax(const ToolContext& context, std::string_view script) {
  if (context.tools.bash.empty())
    return SyntaxReport{true, "none", true, {}};
  const auto ran =
      run_on_script(context, {context.tools.bash, "-n", "script.sh"}, "script.sh", script);
  if (auto failed = incomplete("bash -n", ran))
    return *failed;
  SyntaxReport report{true, "bash -n", false, {}};
  const std::string& errors = ran.value().stderr_text;
  // bash -n exits 0 after some errors in [[ ]] conditional expressions ("syntax error in
  // conditional expression", "unexpected argument ... to conditional unary operator"): stderr
  // decides too.
  report.ok = ran.value().exit_code == 0 && errors.find("syntax error") == std::string::npos &&
              errors.find("unexpected ") == std::string::npos;
  if (!report.ok) {
    parse_bash_errors(errors, report);
    if (report.errors.empty())
      report.errors.push_back(SyntaxError{0, 0, errors.empty() ? "bash -n failed" : errors});
  }
  return report;
}

SyntaxReport check_python_syntax(const ToolContext& context, std::string_view script) {
  if (context.tools.python.empty())
    return SyntaxReport{true, "none", true, {}};
  const auto ran = run_on_script(
      context, {context.tools.python, "-I", "-S", "-c", python_once_program(), "script.py"},
      "script.py", script);
  if (auto failed = incomplete("python ast", ran))
    return *failed;
  return python_syntax_report(ran.value().exit_code != 0, ran.value().stdout_text,
                              ran.value().stderr_text);
}

SyntaxReport check_powershell_syntax(const ToolContext& context, std::string_view script) {
  if (context.tools.pwsh.empty())
    return check_powershell_structure(script);
  const auto ran = run_on_script(context,
                                 {context.tools.pwsh, "-NoProfile", "-NonInteractive", "-NoLogo",
                                  "-Command", std::string(kPwshProgram)},
                                 "script.ps1", script);
  if (auto failed = incomplete("pwsh", ran))
    return *failed;
  SyntaxReport report{ran.value().exit_code == 0, "pwsh", false, {}};
  if (!report.ok) {
    parse_located_errors(ran.value().stdout_text, report);
    if (report.errors.empty())
      report.errors.push_back(SyntaxError{0, 0, "pwsh: " + ran.value().stderr_text});
  }
  return report;
}

}  // namespace opsgraph::safety::detail
