#pragma once
// The security scan: normalise a script, match the rules, follow code hidden in data (bounded in
// depth and volume), and turn matches into findings located in the original script.
// Stateless; thread-safe. Private to src/safety.

#include <opsgraph/safety/finding.hpp>
#include <opsgraph/safety/language.hpp>
#include <string_view>
#include <vector>

#include "safety/rule_matcher.hpp"

namespace opsgraph::safety::detail {

/// How deep payloads inside payloads are followed (base64 in bash -c in eval ...).
inline constexpr int kMaxEmbeddingDepth = 4;

/// The findings of `rules` in `script`, one per rule and line, in script order.
std::vector<Finding> scan_security(std::string_view script, Language language,
                                   const RuleMatcher& rules);

}  // namespace opsgraph::safety::detail
