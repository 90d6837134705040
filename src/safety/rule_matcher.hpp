#pragma once
// RuleMatcher — the security rules compiled for matching. Per language, the patterns that keep to
// one command (most: their whitespace never crosses a line) are in one RE2::Set run block by block
// over the normalised script, so the script is read once whatever the number of rules, and a
// pattern the set reports is run on its own only over that block to find where it matched. The
// few that may span commands ((?s), a class that takes a newline) are searched on the whole text,
// and only when the literals they need (RE2's FilteredRE2 atoms, searched for by the same set pass)
// are all in it.
// Immutable after compile(); thread-safe to match from many threads. Private to src/safety.

#include <cstddef>
#include <memory>
#include <opsgraph/core/result.hpp>
#include <opsgraph/safety/language.hpp>
#include <string_view>
#include <vector>

#include "safety/rule.hpp"

namespace opsgraph::safety::detail {

class RuleMatcher {
 public:
  /// Where a rule matched: the rule's index and the byte offset in the normalised text.
  struct Hit {
    std::size_t rule = 0;
    std::size_t offset = 0;
  };

  /// Compiles `rules`; a pattern RE2 rejects is errc::invalid_argument naming `file_name`, the
  /// rule and the pattern.
  static result<RuleMatcher> compile(std::vector<Rule> rules, std::string_view file_name);

  RuleMatcher(RuleMatcher&&) noexcept;
  RuleMatcher& operator=(RuleMatcher&&) noexcept;
  ~RuleMatcher();

  /// What match() fills on its way to the hits, kept by the caller so that a scan of many small
  /// payloads allocates only while the buffers grow. One per thread; its contents are not part of
  /// the answer.
  struct Scratch {
    struct Found {
      std::size_t pattern = 0;
      Hit hit;
    };
    std::vector<int> set_hits;
    std::vector<std::size_t> patterns;
    std::vector<int> atoms;
    std::vector<int> candidates;
    std::vector<Found> found;
  };

  /// Appends every match in `text` (normalised as `language`) to `hits`, in text order.
  void match(Language language, std::string_view text, std::vector<Hit>& hits,
             Scratch& scratch) const;

  const Rule& rule(std::size_t index) const noexcept { return rules_[index]; }
  std::size_t size() const noexcept { return rules_.size(); }

 private:
  struct Compiled;
  RuleMatcher(std::vector<Rule> rules, std::unique_ptr<Compiled> compiled);

  std::vector<Rule> rules_;
  std::unique_ptr<Compiled> compiled_;
};

}  // namespace opsgraph::safety::detail
