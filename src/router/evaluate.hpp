#pragma once
// From the set of rules whose patterns matched to a RouteDecision: which rules fire (all_of /
// unless over earlier rules, one forward pass), then risk, approval, category, agents,
// exclusions, language, complexity and the floor. Immutable after create(); thread-safe.

#include <cstddef>
#include <opsgraph/router/route_decision.hpp>
#include <opsgraph/router/rule_router.hpp>
#include <opsgraph/router/rule_set.hpp>
#include <string_view>
#include <vector>

#include "router/normalizer.hpp"

namespace opsgraph::router::detail {

/// What the matcher and the normaliser saw in one request (with its context).
struct Observation {
  std::vector<bool> matched;  ///< Per rule: a keyword or pattern occurred.
  std::string_view request;   ///< The normalised request text alone.
  NormalizedText normalized;  ///< Counts over request and context together.
};

/// The rules that fired, in file order.
using Fired = std::vector<const Rule*>;

class Evaluator {
 public:
  /// `rules` must be validated (RuleSet guarantees it) and outlive the Evaluator.
  explicit Evaluator(const RuleFile& rules);

  RouteDecision decide(const Observation& seen, const RouteHints& hints) const;

 private:
  Fired fire(const std::vector<bool>& matched) const;

  const RuleFile* rules_;
  std::vector<std::vector<std::size_t>> all_of_;  // per rule: indices of earlier rules
  std::vector<std::vector<std::size_t>> unless_;
};

/// Distinct host-like names (letters with digits, like "app01" or "sql-02", and IPv4 addresses)
/// in a normalised text: a complexity signal.
std::size_t count_hosts(std::string_view text);

}  // namespace opsgraph::router::detail
