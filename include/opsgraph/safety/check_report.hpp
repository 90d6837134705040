#pragma once
// opsgraph::safety::CheckReport — everything ScriptChecker::check found about one script: syntax,
// lint and security findings. Whether the script passes lint is derived from them, never stored,
// so a report cannot claim a pass its findings contradict. A plain value; copy and share it freely.

#include <algorithm>
#include <opsgraph/core/json_codec.hpp>
#include <opsgraph/safety/finding.hpp>
#include <opsgraph/safety/language.hpp>
#include <opsgraph/safety/severity.hpp>
#include <opsgraph/safety/syntax_report.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace opsgraph::safety {

struct CheckReport {
  Language language = Language::bash;
  SyntaxReport syntax;
  /// Security, lint and Azure CLI list findings, in script order.
  std::vector<Finding> findings;
  /// The linter that ran, e.g. "shellcheck 0.9.0"; empty when none was available for the language.
  std::string lint_tool;

  /// False when the syntax check failed or any finding is medium or worse.
  bool lint_passed() const noexcept {
    return syntax.ok && std::none_of(findings.begin(), findings.end(), [](const Finding& f) {
             return f.severity >= Severity::medium;
           });
  }

  /// True when any finding is high or worse: the script must go back to a human for review.
  bool has_blocking_findings() const noexcept {
    return std::any_of(findings.begin(), findings.end(),
                       [](const Finding& f) { return f.severity >= Severity::high; });
  }

  friend bool operator==(const CheckReport&, const CheckReport&) = default;
};

}  // namespace opsgraph::safety

/// {"language", "lint_passed", "syntax", "findings", "lint_tool"}. lint_passed is written from
/// lint_passed(); on input it is accepted and ignored, since it is always recomputed.
template <>
struct opsgraph::json::Codec<opsgraph::safety::CheckReport> {
  using CheckReport = opsgraph::safety::CheckReport;

  template <class Sink>
  static void write(Sink& sink, const CheckReport& report) {
    sink.begin_object();
    sink.key("language");
    detail::write_value(sink, report.language);
    sink.key("lint_passed");
    sink.boolean(report.lint_passed());
    sink.key("syntax");
    detail::write_value(sink, report.syntax);
    sink.key("findings");
    detail::write_value(sink, report.findings);
    sink.key("lint_tool");
    sink.string(report.lint_tool);
    sink.end_object();
  }

  template <class Source>
  static result<void> read(Source& source, CheckReport& out) {
    bool has_language = false;
    bool has_syntax = false;
    OPSGRAPH_TRY(source.read_object([&](std::string_view name, auto& member) -> result<void> {
      if (name == "language") {
        has_language = true;
        return detail::read_into(member, out.language);
      }
      if (name == "syntax") {
        has_syntax = true;
        return detail::read_into(member, out.syntax);
      }
      if (name == "findings")
        return detail::read_into(member, out.findings);
      if (name == "lint_tool")
        return detail::read_into(member, out.lint_tool);
      return member.skip();  // lint_passed, and members of later versions
    }));
    if (!has_language)
      return fail(detail::missing_field_error("language"));
    if (!has_syntax)
      return fail(detail::missing_field_error("syntax"));
    return ok();
  }
};
