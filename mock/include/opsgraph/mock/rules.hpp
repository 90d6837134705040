#pragma once
// Scripted answers of the mock LLM server: a Rule says which chat requests it matches and what
// to answer, in turn, for how many of them. Rules are plain values, built in C++ or read from a
// JSON rules file (parse_rules / load_rules_file); the server tries them in order, first match
// wins.
//
// Rules file:
//   {"rules": [
//     {"name": "plan", "times": 2,
//      "match": {"model": "*", "system_contains": "planner", "user_contains": "cpu",
//                "user_regex": "APP\\d+"},
//      "response": {"content": "text"} | {"json": {...}, "finish_reason": "stop",
//                   "usage": {"prompt_tokens": 10, "completion_tokens": 5}, "fault": "500"},
//      "responses": [ ...the same objects, answered in turn... ]}]}

#include <cstddef>
#include <opsgraph/core/json_value.hpp>
#include <opsgraph/core/result.hpp>
#include <opsgraph/llm/chat.hpp>
#include <opsgraph/mock/fault.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace opsgraph::mock {

/// Which requests a rule answers. Every condition set must hold; an empty one always holds.
struct RuleMatch {
  /// The request's model, exactly, or "*" for any model.
  std::string model = "*";
  /// A substring of the (first) system message, compared case-insensitively (ASCII).
  std::string system_contains;
  /// A substring of the last user message, compared case-insensitively (ASCII).
  std::string user_contains;
  /// An RE2 pattern searched for in the last user message (linear time: no input can stall it).
  std::string user_regex;

  friend bool operator==(const RuleMatch&, const RuleMatch&) = default;
};

/// One scripted answer.
struct RuleResponse {
  /// The answer's text, used when `json` is unset.
  std::string content;
  /// When set, its compact serialisation is the answer's content.
  std::optional<json::Value> json;
  std::string finish_reason = "stop";
  /// Token counts to report instead of the estimate from text lengths (total is recomputed).
  std::optional<llm::Usage> usage;
  /// A fault to inject instead of (or, for latency, before) the answer.
  Fault fault;

  friend bool operator==(const RuleResponse&, const RuleResponse&) = default;
};

struct Rule {
  /// How /stats names the rule; empty means "rule-<index>" (its position when added).
  std::string name;
  RuleMatch match;
  /// Answered in turn, one per matching request; the last one repeats. Must not be empty.
  std::vector<RuleResponse> responses;
  /// When set, the rule answers only its first `times` matching requests and then stops
  /// matching, so later requests fall through to the next rule ("fail twice, then succeed").
  std::optional<std::size_t> times;

  friend bool operator==(const Rule&, const Rule&) = default;
};

/// Rules from the text of a rules file. Errors are invalid_argument and name `source` (a file
/// name), the rule and the field, e.g. "rules.json: rules[2].match.user_regex: missing )".
result<std::vector<Rule>> parse_rules(std::string_view text, std::string_view source);

/// Reads and parses the rules file at `path` (not_found when it cannot be read).
result<std::vector<Rule>> load_rules_file(const std::string& path);

/// Checks what parse_rules checks on a rule built in C++: at least one response, a valid regex,
/// times > 0 when set. `where` starts the error message.
result<void> validate_rule(const Rule& rule, std::string_view where);

}  // namespace opsgraph::mock
