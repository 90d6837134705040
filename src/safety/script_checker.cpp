#include <algorithm>
#include <fstream>
#include <opsgraph/safety/script_checker.hpp>
#include <sstream>
#include <tuple>

#include "safety/embedded_rules.hpp"
#include "safety/python_checker.hpp"
#include "safety/rule.hpp"
#include "safety/rule_matcher.hpp"
#include "safety/security_scan.hpp"
#include "safety/tools.hpp"

namespace opsgraph::safety {
namespace {

result<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return fail(errc::not_found, "cannot read rule file " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string_view file_name_of(std::string_view path) noexcept {
  const std::size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

result<detail::RuleMatcher> load_rules(const std::string& path) {
  if (path.empty()) {
    OPSGRAPH_TRY(auto rules, detail::parse_rule_file(embedded::script_security_rules(),
                                                     "script_security.json"));
    return detail::RuleMatcher::compile(std::move(rules), "script_security.json");
  }
  OPSGRAPH_TRY(auto text, read_file(path));
  OPSGRAPH_TRY(auto rules, detail::parse_rule_file(text, file_name_of(path)));
  return detail::RuleMatcher::compile(std::move(rules), file_name_of(path));
}

}  // namespace

struct ScriptChecker::Impl {
  ScriptCheckerOptions options;
  SubprocessRunner own_runner;
  const ProcessRunner* runner = nullptr;
  detail::RuleMatcher rules;
  detail::Tools tools;
  // The long-lived Python process, when the checker runs its tools itself: a ProcessRunner passed
  // in the options sees every process, so with one the per-process program is used.
  std::unique_ptr<detail::PythonChecker> python;

  Impl(ScriptCheckerOptions o, detail::RuleMatcher r) : options(std::move(o)), rules(std::move(r)) {
    runner = options.runner != nullptr ? options.runner : &own_runner;
  }

  result<void> check_size(std::string_view script) const {
    if (script.size() > options.max_script_bytes) {
      return fail(errc::payload_too_large, "script is " + std::to_string(script.size()) +
                                               " bytes; the limit is " +
                                               std::to_string(options.max_script_bytes));
    }
    return ok();
  }

  detail::ToolContext context() const { return {*runner, tools, options.tool_timeout}; }

  SyntaxReport check_syntax(std::string_view script, Language language) const {
    switch (language) {
      case Language::python:
        return python ? python->check(context(), script)
                      : detail::check_python_syntax(context(), script);
      case Language::powershell:
        return detail::check_powershell_syntax(context(), script);
      case Language::bash:
      case Language::azurecli:
        break;
    }
    return detail::check_bash_syntax(context(), script);
  }
};

result<ScriptChecker> ScriptChecker::create(ScriptCheckerOptions options) {
  if (options.tool_timeout.count() <= 0)
    return fail(errc::invalid_argument, "tool_timeout must be positive");
  OPSGRAPH_TRY(auto rules, load_rules(options.rules_path));
  auto impl = std::make_unique<Impl>(std::move(options), std::move(rules));
  impl->tools = detail::resolve_tools(impl->options, *impl->runner);
  if (impl->options.runner == nullptr && !impl->tools.python.empty()) {
    impl->python =
        std::make_unique<detail::PythonChecker>(detail::python_server_launcher(impl->tools.python));
  }
  return ScriptChecker(std::move(impl));
}

ScriptChecker::ScriptChecker(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ScriptChecker::ScriptChecker(ScriptChecker&&) noexcept = default;
ScriptChecker& ScriptChecker::operator=(ScriptChecker&&) noexcept = default;
ScriptChecker::~ScriptChecker() = default;

result<CheckReport> ScriptChecker::check(std::string_view script, Language language) const {
  OPSGRAPH_TRY(impl_->check_size(script));
  CheckReport report;
  report.language = language;
  report.syntax = impl_->check_syntax(script, language);
  report.findings = detail::scan_security(script, language, impl_->rules);
  if (language == Language::bash) {
    if (auto lint = detail::run_shellcheck(impl_->context(), script)) {
      report.lint_tool = impl_->tools.shellcheck_name;
      report.findings.insert(report.findings.end(), lint->begin(), lint->end());
    }
  } else if (language == Language::azurecli) {
    auto lint = detail::check_azurecli_commands(script);
    report.findings.insert(report.findings.end(), lint.begin(), lint.end());
  }
  std::stable_sort(report.findings.begin(), report.findings.end(),
                   [](const Finding& a, const Finding& b) {
                     return std::tie(a.line, a.column) < std::tie(b.line, b.column);
                   });
  return report;
}

result<std::vector<Finding>> ScriptChecker::scan(std::string_view script, Language language) const {
  OPSGRAPH_TRY(impl_->check_size(script));
  return detail::scan_security(script, language, impl_->rules);
}

const std::string& ScriptChecker::bash_path() const noexcept {
  return impl_->tools.bash;
}
const std::string& ScriptChecker::python_path() const noexcept {
  return impl_->tools.python;
}
const std::string& ScriptChecker::shellcheck_path() const noexcept {
  return impl_->tools.shellcheck;
}
const std::string& ScriptChecker::pwsh_path() const noexcept {
  return impl_->tools.pwsh;
}

}  // namespace opsgraph::safety
