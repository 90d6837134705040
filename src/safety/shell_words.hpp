#pragma once
// Character classes and word shapes shared by the shell lexer and its evaluation of assigned
// values. Private to src/safety; header-only.

#include <cstddef>
#include <string_view>

namespace opsgraph::safety::detail {

// ASCII only, as bash reads names, and without a call into the C locale per byte.
inline bool is_name_start(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
inline bool is_name_char(char c) noexcept {
  return is_name_start(c) || (c >= '0' && c <= '9');
}

inline int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

// The length of NAME in a word of the form NAME=... or NAME+=..., or 0.
inline std::size_t assignment_name_length(std::string_view word) noexcept {
  if (word.empty() || !is_name_start(word[0]))
    return 0;
  std::size_t n = 1;
  while (n < word.size() && is_name_char(word[n]))
    ++n;
  if (n + 1 < word.size() && word[n] == '+' && word[n + 1] == '=')
    return n + 1;
  return n < word.size() && word[n] == '=' ? n : 0;
}

}  // namespace opsgraph::safety::detail
