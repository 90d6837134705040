#pragma once
// RuleBook — the server's rules in matching order, compiled (lower-cased needles, RE2 regexes),
// with each rule's count of answered requests. Not thread-safe: the Responder guards it.

#include <re2/re2.h>

#include <memory>
#include <opsgraph/core/result.hpp>
#include <opsgraph/mock/rules.hpp>
#include <optional>
#include <string>
#include <vector>

#include "chat_call.hpp"

namespace opsgraph::mock::detail {

class RuleBook {
 public:
  /// A rule's answer to one request.
  struct Hit {
    std::string rule_name;
    RuleResponse response;
  };

  /// Appends `rules` after validating all of them (none is added when one is invalid).
  result<void> add(std::vector<Rule> rules);
  void clear() noexcept { entries_.clear(); }

  /// The first rule that matches `call` and still has answers left; counts the answer.
  std::optional<Hit> answer(const ChatCall& call);

  /// The models the rules name exactly (no "*"), in rule order, without repeats.
  std::vector<std::string> models() const;

 private:
  struct Entry {
    Rule rule;
    std::string system_needle;  // lower-cased
    std::string user_needle;    // lower-cased
    std::unique_ptr<RE2> user_regex;
    std::size_t answered = 0;
  };

  // A call's messages lower-cased, each once and only when a rule has a needle for it.
  class FoldedCall;

  static bool matches(const Entry& entry, const ChatCall& call, FoldedCall& folded);

  std::vector<Entry> entries_;
};

}  // namespace opsgraph::mock::detail
