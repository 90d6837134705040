#pragma once
// opsgraph::safety::Finding — one thing the ScriptChecker wants a human approver to know about a
// script: which rule fired, where in the script as it was written, and what to do about it.
// A plain value; copy and share it freely.

#include <cstddef>
#include <opsgraph/core/json_schema.hpp>
#include <opsgraph/safety/severity.hpp>
#include <string>
#include <tuple>

namespace opsgraph::safety {

struct Finding {
  /// The rule's id: a security rule ("rm_rf_root"), a shellcheck code ("SC2086"), or a check of
  /// the checker itself ("az_non_az_command").
  std::string rule;
  /// A security category (see docs/safety.md: "destructive_delete", "reverse_shell", ...) or
  /// "lint" for shellcheck and Azure CLI list findings.
  std::string category;
  Severity severity = Severity::info;
  /// 1-based position in the original script (for an obfuscated payload: of the literal that
  /// carries it).
  std::size_t line = 0;
  std::size_t column = 0;
  /// The original line, trimmed, at most 160 bytes (cut on a UTF-8 character boundary).
  std::string excerpt;
  /// What the approver should know or do.
  std::string message;

  friend bool operator==(const Finding&, const Finding&) = default;
};

}  // namespace opsgraph::safety

template <>
struct opsgraph::json::Schema<opsgraph::safety::Finding> {
  using Finding = opsgraph::safety::Finding;
  static constexpr auto fields = std::make_tuple(
      json::field("rule", &Finding::rule), json::field("category", &Finding::category),
      json::field("severity", &Finding::severity), json::field("line", &Finding::line),
      json::field("column", &Finding::column), json::field("excerpt", &Finding::excerpt),
      json::field("message", &Finding::message));
};
