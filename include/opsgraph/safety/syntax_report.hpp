#pragma once
// opsgraph::safety::SyntaxReport — whether a script parses, according to which checker, and where
// it does not. Plain values; copy and share them freely.

#include <cstddef>
#include <opsgraph/core/json_schema.hpp>
#include <string>
#include <tuple>
#include <vector>

namespace opsgraph::safety {

/// One parse error, 1-based in the original script (0 when the parser did not say).
struct SyntaxError {
  std::size_t line = 0;
  std::size_t column = 0;
  std::string message;

  friend bool operator==(const SyntaxError&, const SyntaxError&) = default;
};

struct SyntaxReport {
  /// True when the checker found no error.
  bool ok = true;
  /// What parsed the script: "bash -n", "python ast", "pwsh" or "structural"; "none" when the
  /// language's parser is not available (ok is then true and says nothing).
  std::string checker;
  /// True when no real parser was available and only bracket, quote and comment structure was
  /// checked: the script may still fail to parse.
  bool structural_only = false;
  std::vector<SyntaxError> errors;

  friend bool operator==(const SyntaxReport&, const SyntaxReport&) = default;
};

}  // namespace opsgraph::safety

template <>
struct opsgraph::json::Schema<opsgraph::safety::SyntaxError> {
  using SyntaxError = opsgraph::safety::SyntaxError;
  static constexpr auto fields = std::make_tuple(json::field("line", &SyntaxError::line),
                                                 json::field("column", &SyntaxError::column),
                                                 json::field("message", &SyntaxError::message));
};

template <>
struct opsgraph::json::Schema<opsgraph::safety::SyntaxReport> {
  using SyntaxReport = opsgraph::safety::SyntaxReport;
  static constexpr auto fields = std::make_tuple(
      json::field("ok", &SyntaxReport::ok), json::field("checker", &SyntaxReport::checker),
      json::field("structural_only", &SyntaxReport::structural_only),
      json::field("errors", &SyntaxReport::errors));
};
