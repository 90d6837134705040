#pragma once
// A security rule as the rule file states it, and the loader that validates a rule file.
// Private to src/safety; the file format is documented in docs/safety.md.

#include <opsgraph/core/result.hpp>
#include <opsgraph/safety/language.hpp>
#include <opsgraph/safety/severity.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace opsgraph::safety::detail {

/// The rule file versions this build reads.
inline constexpr int kRuleFileVersion = 1;

struct Rule {
  std::string id;
  std::string category;
  Severity severity = Severity::info;
  std::vector<Language> languages;
  /// RE2 patterns over the normalised text; `{cmd}` stands for the start of a command.
  std::vector<std::string> patterns;
  /// A match is dropped when one of these matches the normalised line it is on.
  std::vector<std::string> unless;
  std::string message;
};

/// The 16 category ids a rule may name.
bool is_security_category(std::string_view category) noexcept;

/// Parses and validates a rule file. Errors are errc::invalid_argument whose message names
/// `file_name`, the rule (index and id) and the field, e.g. `script_security.json: rules[12]
/// ("rm_rf_root"): field "severity": expected one of info, low, medium, high, critical`.
/// Patterns are checked for RE2 syntax when they are compiled (RuleMatcher).
result<std::vector<Rule>> parse_rule_file(std::string_view text, std::string_view file_name);

}  // namespace opsgraph::safety::detail
