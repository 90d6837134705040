#include "safety/security_scan.hpp"

#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>
#include <utility>

#include "safety/normalized_script.hpp"
#include "safety/source_lines.hpp"

namespace opsgraph::safety::detail {
namespace {

struct Located {
  std::size_t rule;
  std::size_t offset;  // in the original script
};

// Walks a script and the payloads inside it. Decoded payloads can be larger than their literal
// (nested substitutions repeat text), so the bytes normalised are capped at a multiple of the
// script's size.
class Scan {
 public:
  Scan(const RuleMatcher& rules, std::size_t script_size)
      : rules_(rules), budget_(script_size * 8 + 4096) {}

  void run(std::string_view source, Language language, int depth,
           std::optional<std::size_t> fixed_origin) {
    if (source.size() > budget_) {
      ++refusals_;
      return;
    }
    budget_ -= source.size();
    const NormalizedScript normalized = normalize(source, language);
    hits_.clear();
    rules_.match(language, normalized.text, hits_, scratch_);
    for (const RuleMatcher::Hit& hit : hits_) {
      located_.push_back(
          Located{hit.rule, fixed_origin.value_or(normalized.origin_of(hit.offset))});
    }
    if (depth >= kMaxEmbeddingDepth)
      return;
    for (const EmbeddedScript& inner : normalized.embedded) {
      // Everything found inside a payload is reported at one origin: the payload's own, or the
      // one its enclosing payload was given.
      const std::size_t origin = fixed_origin.value_or(inner.origin);
      std::string key = payload_key(inner, depth + 1);
      if (auto seen = scanned_.find(key);
          seen != scanned_.end() && seen->second.cost.fits(budget_)) {
        budget_ -= seen->second.cost.bytes;
        for (std::size_t rule : seen->second.rules)
          located_.push_back(Located{rule, origin});
        continue;
      }
      const Cost before{budget_, refusals_};
      const std::size_t first = located_.size();
      run(inner.source, inner.language, depth + 1, origin);
      Outcome outcome{Cost{before.bytes - budget_, refusals_ - before.refusals}, {}};
      if (outcome.cost.refusals != 0)
        continue;
      for (std::size_t k = first; k < located_.size(); ++k)
        outcome.rules.push_back(located_[k].rule);
      scanned_.insert_or_assign(std::move(key), std::move(outcome));
    }
  }

  std::vector<Located>& located() noexcept { return located_; }

 private:
  // What scanning a payload and everything inside it took from the budget.
  struct Cost {
    std::size_t bytes = 0;
    std::size_t refusals = 0;  // payloads it left unscanned for want of budget
    // A payload scanned in full will be scanned in full again by any budget of at least its
    // cost, reading the same texts in the same order.
    bool fits(std::size_t budget) const noexcept { return refusals == 0 && bytes <= budget; }
  };

  // What scanning a payload in full found: its rules in the order found, all at its origin.
  struct Outcome {
    Cost cost;
    std::vector<std::size_t> rules;
  };

  // Payloads repeat: a normaliser may hand over the same code twice (a Python argv list that is
  // also the call's argument), and scripts run the same command many times. A payload of the same
  // language at the same depth finds the same rules, so one scanned in full is not scanned again
  // while the budget covers its cost: its rules are reported at the new origin and its cost is
  // taken, which keeps what later payloads may scan unchanged.
  static std::string payload_key(const EmbeddedScript& payload, int depth) {
    std::string key;
    key.reserve(payload.source.size() + 2);
    key.push_back(static_cast<char>(payload.language));
    key.push_back(static_cast<char>(depth));
    key.append(payload.source);
    return key;
  }

  const RuleMatcher& rules_;
  std::size_t budget_;
  std::size_t refusals_ = 0;
  std::vector<RuleMatcher::Hit> hits_;
  RuleMatcher::Scratch scratch_;
  std::vector<Located> located_;
  std::unordered_map<std::string, Outcome> scanned_;  // by payload_key
};

}  // namespace

std::vector<Finding> scan_security(std::string_view script, Language language,
                                   const RuleMatcher& rules) {
  Scan scan(rules, script.size());
  scan.run(script, language, 0, std::nullopt);
  const SourceLines lines(script);
  std::vector<Finding> findings;
  std::set<std::pair<std::size_t, std::size_t>> seen;  // (rule, line)
  for (const Located& hit : scan.located()) {
    const std::size_t line = lines.line_of(hit.offset);
    if (!seen.emplace(hit.rule, line).second)
      continue;
    const Rule& rule = rules.rule(hit.rule);
    findings.push_back(Finding{rule.id, rule.category, rule.severity, line,
                               lines.column_of(hit.offset), lines.excerpt(line), rule.message});
  }
  std::sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    return std::tie(a.line, a.column, a.rule) < std::tie(b.line, b.column, b.rule);
  });
  return findings;
}

}  // namespace opsgraph::safety::detail
