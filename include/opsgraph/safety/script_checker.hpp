#pragma once
// opsgraph::safety::ScriptChecker — checks a generated script without running it: syntax through
// the language's real parser where one is installed (bash -n, Python's ast, pwsh; a structural
// tokenizer for PowerShell otherwise), shellcheck for bash, and security rules that see through
// quoting, comments, variable indirection and simple obfuscation (base64 payloads, ${IFS}).
//
// Thread-safe: check() and scan() are const and may run on many threads at once. The checker owns
// its compiled rules; the ProcessRunner passed in the options must outlive it. check() blocks on
// subprocesses (run it on the blocking pool); scan() runs none.

#include <chrono>
#include <cstddef>
#include <memory>
#include <opsgraph/core/result.hpp>
#include <opsgraph/export.hpp>
#include <opsgraph/safety/check_report.hpp>
#include <opsgraph/safety/finding.hpp>
#include <opsgraph/safety/language.hpp>
#include <opsgraph/safety/process_runner.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace opsgraph::safety {

/// Settings fixed when the checker is created. For each tool path: nullopt finds the tool (PATH,
/// and /usr/bin/python3 first for Python), a path uses that program, and "" disables the tool.
struct ScriptCheckerOptions {
  /// A rule file (docs/safety.md) that replaces the rules compiled into the library; empty keeps
  /// the defaults.
  std::string rules_path;
  std::optional<std::string> bash_path;
  std::optional<std::string> python_path;
  std::optional<std::string> shellcheck_path;
  std::optional<std::string> pwsh_path;
  /// How long one tool may run before it is killed (its check then reports the timeout).
  std::chrono::milliseconds tool_timeout{10000};
  /// Longer scripts are refused with errc::payload_too_large.
  std::size_t max_script_bytes = std::size_t{1} << 20;
  /// Runs the tools; nullptr uses a SubprocessRunner owned by the checker.
  const ProcessRunner* runner = nullptr;
};

class OPSGRAPH_API ScriptChecker {
 public:
  /// Loads and compiles the rules and resolves the tools once. Errors: invalid_argument for a rule
  /// file that is not valid (the message names the file, the rule and the field), not_found for a
  /// rules_path that cannot be read.
  static result<ScriptChecker> create(ScriptCheckerOptions options = {});

  ScriptChecker(ScriptChecker&&) noexcept;
  ScriptChecker& operator=(ScriptChecker&&) noexcept;
  ~ScriptChecker();

  /// Syntax, lint and security findings of `script`. A tool that is missing, cannot start, fails
  /// or times out is reported in the syntax report or by an empty lint_tool, never as an Error.
  /// Errors: payload_too_large past max_script_bytes.
  result<CheckReport> check(std::string_view script, Language language) const;

  /// The security findings alone, in script order; starts no process. A result rather than a bare
  /// vector so that an oversized script is refused (payload_too_large) instead of passing as clean.
  result<std::vector<Finding>> scan(std::string_view script, Language language) const;

  /// The tools in use, as absolute paths ("" when not available).
  const std::string& bash_path() const noexcept;
  const std::string& python_path() const noexcept;
  const std::string& shellcheck_path() const noexcept;
  const std::string& pwsh_path() const noexcept;

 private:
  struct Impl;
  explicit ScriptChecker(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace opsgraph::safety
