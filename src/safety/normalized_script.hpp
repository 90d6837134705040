#pragma once
// The text security rules match: a script rewritten into one command per line with comments,
// quoting, line continuations and known variables resolved, plus the code found hidden inside data
// (base64 payloads, `bash -c` strings) for a recursive scan. Private to src/safety.

#include <algorithm>
#include <cstdint>
#include <opsgraph/safety/language.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace opsgraph::safety::detail {

/// Code carried as data: decoded or unquoted, to be scanned as a script of `language`. Its findings
/// are reported at `origin`, the byte offset in the enclosing script of the literal carrying it.
struct EmbeddedScript {
  Language language = Language::bash;
  std::string source;
  std::uint32_t origin = 0;
};

/// The normalised text. Each line is one command; a command that reads a pipe starts with "| ".
/// origin[i] is the byte offset in the source of the token that produced text[i].
struct NormalizedScript {
  std::string text;
  std::vector<std::uint32_t> origin;
  std::vector<EmbeddedScript> embedded;

  void append(std::string_view piece, std::uint32_t from) {
    text.append(piece);
    origin.insert(origin.end(), piece.size(), from);
  }
  void append(char c, std::uint32_t from) {
    text.push_back(c);
    origin.push_back(from);
  }
  /// Appends a token's text with its newlines (multi-line strings) as spaces: data inside a
  /// token never starts a line of its own.
  void append_token(std::string_view piece, std::uint32_t from) {
    const std::size_t start = text.size();
    append(piece, from);
    std::replace(text.begin() + static_cast<std::ptrdiff_t>(start), text.end(), '\n', ' ');
  }
  /// Ends the current command (a newline unless the line is still empty).
  void end_command(std::uint32_t from) {
    if (!text.empty() && text.back() != '\n')
      append('\n', from);
  }
  void reserve(std::size_t n) {
    text.reserve(n);
    origin.reserve(n);
  }
};

/// Normalises `source` as a script of `language`.
NormalizedScript normalize(std::string_view source, Language language);

// One normaliser per language family (normalize_*.cpp).
NormalizedScript normalize_shell(std::string_view source);
NormalizedScript normalize_powershell(std::string_view source);
NormalizedScript normalize_python(std::string_view source);

}  // namespace opsgraph::safety::detail
