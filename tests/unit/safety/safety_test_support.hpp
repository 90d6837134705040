#pragma once
// Shared helpers of the safety tests: one checker with the default rules, and finding lookups.

#include <gtest/gtest.h>

#include <algorithm>
#include <opsgraph/safety/script_checker.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace opsgraph::safety::testing {

/// A checker with the compiled-in rules and the tools found on this machine.
inline const ScriptChecker& default_checker() {
  static const ScriptChecker checker = [] {
    auto created = ScriptChecker::create();
    if (!created) {
      ADD_FAILURE() << created.error().message;
      std::abort();
    }
    return std::move(created).value();
  }();
  return checker;
}

/// The security findings of `script`; a failed scan fails the test and yields none.
inline std::vector<Finding> scan(std::string_view script, Language language) {
  auto findings = default_checker().scan(script, language);
  EXPECT_TRUE(findings) << findings.error().message;
  return findings ? std::move(findings).value() : std::vector<Finding>{};
}

/// The finding of `rule`, or nullptr.
inline const Finding* find_rule(const std::vector<Finding>& findings, std::string_view rule) {
  const auto it = std::find_if(findings.begin(), findings.end(),
                               [&](const Finding& f) { return f.rule == rule; });
  return it == findings.end() ? nullptr : &*it;
}

/// "rule@line" for every finding, for readable failure messages.
inline std::string describe(const std::vector<Finding>& findings) {
  std::string text;
  for (const Finding& f : findings)
    text += f.rule + "@" + std::to_string(f.line) + " ";
  return text.empty() ? "(no findings)" : text;
}

}  // namespace opsgraph::safety::testing
