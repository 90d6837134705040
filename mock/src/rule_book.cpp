#include "rule_book.hpp"

#include <algorithm>
#include <cctype>

namespace opsgraph::mock::detail {

namespace {

std::string lower_ascii(std::string_view text) {
  std::string lowered(text);
  for (auto& c : lowered)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lowered;
}

}  // namespace

// Lowering a prompt of several kilobytes for every rule tried was a fifth of the server's CPU.
class RuleBook::FoldedCall {
 public:
  explicit FoldedCall(const ChatCall& call) : call_(call) {}

  bool system_contains(const std::string& lowered_needle) {
    return contains(system_, call_.system_message, lowered_needle);
  }
  bool user_contains(const std::string& lowered_needle) {
    return contains(user_, call_.last_user_message, lowered_needle);
  }

 private:
  static bool contains(std::optional<std::string>& folded, std::string_view text,
                       const std::string& lowered_needle) {
    if (lowered_needle.empty())
      return true;
    if (!folded)
      folded = lower_ascii(text);
    return folded->find(lowered_needle) != std::string::npos;
  }

  const ChatCall& call_;
  std::optional<std::string> system_;
  std::optional<std::string> user_;
};

result<void> RuleBook::add(std::vector<Rule> rules) {
  for (std::size_t i = 0; i < rules.size(); ++i) {
    OPSGRAPH_TRY(validate_rule(rules[i], "rule " + std::to_string(entries_.size() + i)));
  }
  for (auto& rule : rules) {
    Entry entry;
    if (rule.name.empty())
      rule.name = "rule-" + std::to_string(entries_.size());
    entry.system_needle = lower_ascii(rule.match.system_contains);
    entry.user_needle = lower_ascii(rule.match.user_contains);
    if (!rule.match.user_regex.empty()) {
      RE2::Options options;
      options.set_log_errors(false);
      entry.user_regex = std::make_unique<RE2>(rule.match.user_regex, options);
    }
    entry.rule = std::move(rule);
    entries_.push_back(std::move(entry));
  }
  return ok();
}

bool RuleBook::matches(const Entry& entry, const ChatCall& call, FoldedCall& folded) {
  const auto& match = entry.rule.match;
  if (match.model != "*" && match.model != call.model)
    return false;
  if (!folded.system_contains(entry.system_needle))
    return false;
  if (!folded.user_contains(entry.user_needle))
    return false;
  return !entry.user_regex || RE2::PartialMatch(call.last_user_message, *entry.user_regex);
}

std::optional<RuleBook::Hit> RuleBook::answer(const ChatCall& call) {
  FoldedCall folded(call);
  for (auto& entry : entries_) {
    if (entry.rule.times && entry.answered >= *entry.rule.times)
      continue;
    if (!matches(entry, call, folded))
      continue;
    const auto& responses = entry.rule.responses;
    const auto turn = std::min(entry.answered, responses.size() - 1);
    ++entry.answered;
    return Hit{entry.rule.name, responses[turn]};
  }
  return std::nullopt;
}

std::vector<std::string> RuleBook::models() const {
  std::vector<std::string> models;
  for (const auto& entry : entries_) {
    const auto& model = entry.rule.match.model;
    if (model != "*" && std::ranges::find(models, model) == models.end())
      models.push_back(model);
  }
  return models;
}

}  // namespace opsgraph::mock::detail
