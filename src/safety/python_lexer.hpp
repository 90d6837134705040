#pragma once
// Splits a Python script into logical lines of tokens: comments dropped, bracketed and backslash
// continuations joined, string literals unquoted with their escapes decoded and adjacent or
// `+`-joined literals merged. Private to src/safety.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace opsgraph::safety::detail {

/// A name (dotted names and numbers included), a string literal's value, or one character of
/// punctuation.
struct PyToken {
  enum class Kind { name, string, other };
  Kind kind = Kind::other;
  /// Names and punctuation: a view of the source; strings: their value, rebuilt by the lexer. Valid
  /// until lex_python returns.
  std::string_view text;
  std::uint32_t origin = 0;
};
using PyLine = std::vector<PyToken>;

/// Calls `on_line` for each logical line of `source`, in script order.
void lex_python(std::string_view source, const std::function<void(const PyLine&)>& on_line);

}  // namespace opsgraph::safety::detail
