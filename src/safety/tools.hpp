#pragma once
// Finding the external tools once, when a ScriptChecker is created, and the checks that run them.
// Everything here is stateless and thread-safe. Private to src/safety.

#include <chrono>
#include <opsgraph/core/result.hpp>
#include <opsgraph/export.hpp>
#include <opsgraph/safety/finding.hpp>
#include <opsgraph/safety/process_runner.hpp>
#include <opsgraph/safety/script_checker.hpp>
#include <opsgraph/safety/syntax_report.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace opsgraph::safety::detail {

/// Absolute paths of the tools ("" when not available) and what shellcheck says its version is.
struct Tools {
  std::string bash;
  std::string python;
  std::string shellcheck;
  std::string pwsh;
  std::string shellcheck_name;  // e.g. "shellcheck 0.9.0"
};

/// Resolves each tool of `options` (see ScriptCheckerOptions) with symlinks resolved; a Python
/// found through a wrapper script (a pyenv shim) is asked once for its real interpreter.
Tools resolve_tools(const ScriptCheckerOptions& options, const ProcessRunner& runner);

/// What the syntax checks share: the runner, the tools and the time limit.
struct ToolContext {
  const ProcessRunner& runner;
  const Tools& tools;
  std::chrono::milliseconds timeout;
};

/// `bash -n` on the script in a temp file; "syntax error" on stderr fails it even on exit 0.
SyntaxReport check_bash_syntax(const ToolContext& context, std::string_view script);

/// ast.parse in `python3 -I -S`, one process per script, on the script in a temp file; the script
/// is never executed. ScriptChecker uses a long-lived process instead (python_checker.hpp) when it
/// runs the tools itself, and this as that one's fallback.
OPSGRAPH_API SyntaxReport check_python_syntax(const ToolContext& context, std::string_view script);

/// A failed syntax verdict that says the checker could not prove anything (missing, timed out,
/// crashed): ok false, one error at 0:0 with `why`.
SyntaxReport tool_failure_report(std::string checker, std::string why);

/// Appends the errors of "line:column:message" lines to `report`; other lines are skipped.
void parse_located_errors(std::string_view text, SyntaxReport& report);

/// PowerShell's own parser through pwsh when it is installed, else the structural check.
SyntaxReport check_powershell_syntax(const ToolContext& context, std::string_view script);

/// shellcheck -f json findings (category "lint"); nullopt-like empty optional when shellcheck is
/// missing or failed, so the report can say no linter ran.
std::optional<std::vector<Finding>> run_shellcheck(const ToolContext& context,
                                                   std::string_view script);

/// Lines of an Azure CLI list that run something other than `az` or a shell builtin (low).
std::vector<Finding> check_azurecli_commands(std::string_view script);

}  // namespace opsgraph::safety::detail
