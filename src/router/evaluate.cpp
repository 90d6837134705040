#include "router/evaluate.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_map>
#include <vector>

namespace opsgraph::router::detail {
namespace {

// Mid-band scores of a rule that gives a level but no score.
constexpr double default_score(Level level) noexcept {
  switch (level) {
    case Level::low:
      return 0.15;
    case Level::medium:
      return 0.5;
    case Level::high:
      return 0.85;
  }
  return 0.0;
}

constexpr double kInjectionScore = 0.95;
constexpr double kNothingMatchedScore = 0.1;

// Complexity signals, each a share of the 0..1 score.
constexpr double kBaseComplexity = 0.1;
constexpr double kPerExtraHost = 0.1;
constexpr double kMaxHosts = 0.3;
constexpr double kPerExtraCategory = 0.1;
constexpr double kMaxCategories = 0.2;
constexpr double kPerExtraAgent = 0.1;
constexpr double kMaxLength = 0.2;
constexpr double kBytesForMaxLength = 2500.0;

double round_score(double score) noexcept {
  return std::round(std::clamp(score, 0.0, 1.0) * 100.0) / 100.0;
}

std::string count_phrase(std::size_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

std::vector<std::string> describe(const NormalizedText& text) {
  std::vector<std::string> notes;
  if (text.invisible_removed > 0) {
    notes.push_back("removed " +
                    count_phrase(text.invisible_removed, "invisible formatting character",
                                 "invisible formatting characters") +
                    " (zero-width or bidi controls)");
  }
  if (text.compatibility_mapped > 0) {
    notes.push_back("mapped " +
                    count_phrase(text.compatibility_mapped, "compatibility character",
                                 "compatibility characters") +
                    " (fullwidth or styled forms) to plain ones");
  }
  if (text.lookalikes_mapped > 0) {
    notes.push_back("mapped " +
                    count_phrase(text.lookalikes_mapped, "lookalike letter", "lookalike letters") +
                    " to Latin");
  }
  return notes;
}

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& part : parts) {
    if (!out.empty())
      out += "; ";
    out += part;
  }
  return out;
}

void assess_risk(const Fired& fired, const NormalizedText& normalized, RouteDecision& decision) {
  bool any = false;
  for (const Rule* fired_rule : fired) {
    const Rule& rule = *fired_rule;
    if (!(rule.risk || rule.requires_approval || rule.injection))
      continue;
    any = true;
    decision.risk.reasons.push_back({rule.id, rule.description});
    decision.route.requires_approval |= rule.requires_approval;
    if (rule.injection) {
      decision.injection_suspected = true;
      decision.risk.level = Level::high;
      decision.risk.score = std::max(decision.risk.score, kInjectionScore);
    }
    if (rule.risk) {
      decision.risk.level = std::max(decision.risk.level, *rule.risk);
      decision.risk.score =
          std::max(decision.risk.score, rule.score.value_or(default_score(*rule.risk)));
    }
  }
  if (normalized.disguised()) {
    any = true;
    decision.injection_suspected = true;
    decision.risk.level = Level::high;
    decision.risk.score = std::max(decision.risk.score, kInjectionScore);
    decision.risk.reasons.push_back(
        {"disguised_text", "the text was disguised: " + join(describe(normalized))});
  }
  if (!any) {
    decision.risk.score = kNothingMatchedScore;
    decision.risk.reasons.push_back(
        {"no_risk_rule", "no risk rule matched: nothing in the request changes a system"});
  }
  decision.risk.score = round_score(decision.risk.score);
  if (decision.risk.level == Level::high)
    decision.route.requires_approval = true;
}

void apply_hints(const RouteHints& hints, RouteDecision& decision) {
  if (hints.require_approval.value_or(false)) {
    decision.route.requires_approval = true;
    decision.risk.reasons.push_back(
        {"caller_requires_approval", "the caller asked for a human approval"});
  }
}

// The members of a small enum present in `flags` (bit i for value i), in declaration order.
template <class Enum>
std::vector<Enum> members(unsigned flags) {
  std::vector<Enum> out;
  for (unsigned bit = 0; flags >> bit != 0; ++bit) {
    if ((flags >> bit) & 1u)
      out.push_back(static_cast<Enum>(bit));
  }
  return out;
}

template <class Enum>
constexpr unsigned flag(Enum value) noexcept {
  return 1u << static_cast<unsigned>(value);
}

std::vector<Exclusion> exclusions(const Fired& fired) {
  unsigned found = 0;
  for (const Rule* rule : fired) {
    if (rule->excludes)
      found |= flag(*rule->excludes);
  }
  return members<Exclusion>(found);
}

bool contains(const std::vector<Exclusion>& list, Exclusion e) {
  return std::find(list.begin(), list.end(), e) != list.end();
}

unsigned agent_flags(const std::vector<Agent>& agents) {
  unsigned flags = 0;
  for (Agent agent : agents)
    flags |= flag(agent);
  return flags;
}

std::vector<Agent> agents(const RuleFile& rules, const Fired& fired,
                          const std::vector<Exclusion>& excluded) {
  unsigned needed = 0;
  for (const Rule* rule : fired) {
    if (!(rule->deliverable && contains(excluded, *rule->deliverable)))
      needed |= agent_flags(rule->agents);
  }
  if (needed == 0)
    needed = agent_flags(rules.default_agents);
  if (contains(excluded, Exclusion::script))
    needed &= ~flag(Agent::automation);
  if (needed == 0)
    needed = flag(Agent::diagnostic);
  return members<Agent>(needed);
}

struct CategoryVote {
  std::string category;
  std::size_t touched = 0;  // distinct categories with any weight
};

CategoryVote category(const RuleFile& rules, const Fired& fired) {
  std::vector<std::pair<std::string_view, double>> weight;  // a dozen categories at most
  std::string_view best;
  double best_weight = 0.0;
  for (const Rule* fired_rule : fired) {
    const Rule& rule = *fired_rule;
    if (!rule.category)
      continue;
    auto entry = std::find_if(weight.begin(), weight.end(),
                              [&](const auto& vote) { return vote.first == *rule.category; });
    if (entry == weight.end())
      entry = weight.insert(weight.end(), {*rule.category, 0.0});
    double& total = entry->second;
    total += rule.weight;
    // Strictly greater: on a tie the category that reached the weight first (file order) wins.
    if (total > best_weight) {
      best_weight = total;
      best = *rule.category;
    }
  }
  return {best.empty() ? rules.default_category : std::string(best), weight.size()};
}

std::optional<safety::Language> language(const Fired& fired) {
  for (const Rule* rule : fired) {
    if (rule->language)
      return rule->language;
  }
  return std::nullopt;
}

Complexity complexity(const Fired& fired, std::string_view request, std::size_t categories,
                      std::size_t agent_count) {
  double score = kBaseComplexity;
  for (const Rule* rule : fired)
    score += rule->complexity;
  const std::size_t hosts = count_hosts(request);
  if (hosts > 1)
    score += std::min(kMaxHosts, kPerExtraHost * static_cast<double>(hosts - 1));
  if (categories > 1)
    score += std::min(kMaxCategories, kPerExtraCategory * static_cast<double>(categories - 1));
  if (agent_count > 1)
    score += kPerExtraAgent * static_cast<double>(agent_count - 1);
  score += std::min(kMaxLength, static_cast<double>(request.size()) / kBytesForMaxLength);
  score = round_score(score);
  return {level_of(score), score};
}

bool is_host_char(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_';
}

}  // namespace

std::size_t count_hosts(std::string_view text) {
  std::vector<std::string_view> hosts;  // few per request: a linear search beats a set
  std::size_t i = 0;
  while (i < text.size()) {
    if (!is_host_char(text[i])) {
      ++i;
      continue;
    }
    const std::size_t start = i;
    bool has_letter = false;
    bool has_digit = false;
    int dots = 0;
    for (; i < text.size() && is_host_char(text[i]); ++i) {
      const char c = text[i];
      has_letter |= c >= 'a' && c <= 'z';
      has_digit |= c >= '0' && c <= '9';
      dots += c == '.' ? 1 : 0;
    }
    std::string_view token = text.substr(start, i - start);
    while (!token.empty() && (token.back() == '.' || token.back() == '-')) {
      dots -= token.back() == '.' ? 1 : 0;
      token.remove_suffix(1);
    }
    // Letters with digits ("app01", "sql-prod-02") or a dotted quad ("10.1.4.20").
    const bool host = token.size() >= 3 && has_digit && (has_letter || dots == 3);
    if (host && std::find(hosts.begin(), hosts.end(), token) == hosts.end())
      hosts.push_back(token);
  }
  return hosts.size();
}

Evaluator::Evaluator(const RuleFile& rules) : rules_(&rules) {
  std::unordered_map<std::string_view, std::size_t> index;
  const auto resolve = [&index](const std::vector<std::string>& ids) {
    std::vector<std::size_t> out;
    for (const std::string& id : ids)
      out.push_back(index.at(id));
    return out;
  };
  for (std::size_t i = 0; i < rules.rules.size(); ++i) {
    all_of_.push_back(resolve(rules.rules[i].all_of));
    unless_.push_back(resolve(rules.rules[i].unless));
    index.emplace(rules.rules[i].id, i);
  }
}

Fired Evaluator::fire(const std::vector<bool>& matched) const {
  std::vector<char> is_fired(matched.size(), 0);
  const auto fired_before = [&is_fired](std::size_t j) { return is_fired[j] != 0; };
  Fired fired;
  for (std::size_t i = 0; i < matched.size(); ++i) {
    if (matched[i] && std::all_of(all_of_[i].begin(), all_of_[i].end(), fired_before) &&
        std::none_of(unless_[i].begin(), unless_[i].end(), fired_before)) {
      is_fired[i] = 1;
      fired.push_back(&rules_->rules[i]);
    }
  }
  return fired;
}

RouteDecision Evaluator::decide(const Observation& seen, const RouteHints& hints) const {
  const RuleFile& rules = *rules_;
  const Fired fired = fire(seen.matched);
  RouteDecision decision;
  decision.normalization = describe(seen.normalized);
  assess_risk(fired, seen.normalized, decision);
  apply_hints(hints, decision);
  decision.exclusions = exclusions(fired);
  CategoryVote vote = category(rules, fired);
  decision.route.category = std::move(vote.category);
  decision.route.required_agents = agents(rules, fired, decision.exclusions);
  decision.language = hints.language ? hints.language : language(fired);
  decision.route.complexity =
      complexity(fired, seen.request, vote.touched, decision.route.required_agents.size());
  decision.task_type = task_type_of(decision.risk.level, decision.route);
  decision.floor = {decision.risk.level, decision.risk.score, decision.route.requires_approval};
  return decision;
}

}  // namespace opsgraph::router::detail
