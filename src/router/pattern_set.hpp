#pragma once
// All patterns of a rule file compiled into one RE2::Set, so that a request is scanned once
// whatever the number of rules; match() answers which rules had a keyword or pattern occur.
// Immutable after compile(); match() is thread-safe (RE2 guards its lazily built DFA).

#include <re2/set.h>

#include <cstddef>
#include <memory>
#include <opsgraph/core/result.hpp>
#include <opsgraph/router/rule_set.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "router/normalizer.hpp"

namespace opsgraph::router::detail {

/// The regex a keyword becomes: escaped, whitespace-tolerant, bounded by non-word characters
/// where it starts or ends with a letter of a spaced script (CJK has no word boundaries), and
/// open at the end when it ends in `*`. `keyword` is already normalised.
std::string keyword_pattern(std::string_view keyword);

/// The RE2 options every rule pattern is compiled with, alone (validation) or in the set.
RE2::Options pattern_options();

class PatternSet {
 public:
  /// invalid_argument when a pattern does not compile or the set exceeds RE2's memory budget.
  static result<PatternSet> compile(const RuleFile& rules, const Normalizer& normalizer);

  /// matched[i] is true when rule i has a keyword or pattern in `text` (or has none at all).
  /// Fails (internal) only if RE2 runs out of DFA memory: a partial answer would be unsafe.
  result<std::vector<bool>> match(std::string_view text) const;

  /// How many patterns the set holds.
  std::size_t size() const noexcept { return rule_of_pattern_.size(); }

 private:
  PatternSet(std::unique_ptr<RE2::Set> set, std::vector<std::size_t> rule_of_pattern,
             std::vector<bool> unconditional) noexcept
      : set_(std::move(set)),
        rule_of_pattern_(std::move(rule_of_pattern)),
        unconditional_(std::move(unconditional)) {}

  std::unique_ptr<RE2::Set> set_;
  std::vector<std::size_t> rule_of_pattern_;  // set index -> rule index
  std::vector<bool> unconditional_;           // rules without keywords or patterns
};

}  // namespace opsgraph::router::detail
