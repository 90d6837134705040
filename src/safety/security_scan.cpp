#include "safety/security_scan.hpp"

#include <algorithm>
#include <optional>
#include <set>
#include <tuple>
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
    rules_.match(language, normalized.text, hits_);
    for (const RuleMatcher::Hit& hit : hits_) {
      located_.push_back(
          Located{hit.rule, fixed_origin.value_or(normalized.origin_of(hit.offset))});
    }
    if (depth >= kMaxEmbeddingDepth)
      return;
    const EmbeddedScript* previous = nullptr;
    Cost previous_cost;
    for (const EmbeddedScript& inner : normalized.embedded) {
      if (previous != nullptr && repeats(*previous, inner) && previous_cost.fits(budget_)) {
        budget_ -= previous_cost.bytes;
        continue;
      }
      const Cost before{budget_, refusals_};
      run(inner.source, inner.language, depth + 1, fixed_origin.value_or(inner.origin));
      previous = &inner;
      previous_cost = Cost{before.bytes - budget_, refusals_ - before.refusals};
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

  // A normaliser may hand over the same code twice in a row (a Python argv list that is also the
  // call's argument): the second scan would find exactly what the first found, at the same
  // offsets, so only its cost is taken, which keeps what later payloads may scan unchanged.
  static bool repeats(const EmbeddedScript& previous, const EmbeddedScript& inner) noexcept {
    return previous.language == inner.language && previous.origin == inner.origin &&
           previous.source == inner.source;
  }

  const RuleMatcher& rules_;
  std::size_t budget_;
  std::size_t refusals_ = 0;
  std::vector<RuleMatcher::Hit> hits_;
  std::vector<Located> located_;
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
