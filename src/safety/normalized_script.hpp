#pragma once
// The text security rules match: a script rewritten into one command per line with comments,
// quoting, line continuations and known variables resolved, plus the code found hidden inside data
// (base64 payloads, `bash -c` strings) for a recursive scan. Private to src/safety.

#include <algorithm>
#include <cstdint>
#include <iterator>
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
/// Every byte of text maps back to the byte offset in the source of the token that produced it
/// (origin_of), kept as one span per token rather than one entry per byte.
struct NormalizedScript {
  /// From text offset `start` on, text comes from the token at source offset `origin`.
  struct Span {
    std::uint32_t start = 0;
    std::uint32_t origin = 0;
  };

  std::string text;
  std::vector<Span> spans;
  std::vector<EmbeddedScript> embedded;

  void append(std::string_view piece, std::uint32_t from) {
    mark(from);
    text.append(piece);
  }
  void append(char c, std::uint32_t from) {
    mark(from);
    text.push_back(c);
  }
  /// Appends a token's text with its newlines (multi-line strings) as spaces: data inside a
  /// token never starts a line of its own.
  /// With `space_before`, a space from the same token goes first.
  void append_token(std::string_view piece, std::uint32_t from, bool space_before = false) {
    mark(from);
    if (space_before)
      text.push_back(' ');
    const std::size_t start = text.size();
    text.append(piece);
    // Most tokens are short and hold no newline: a plain loop finds that without a call.
    if (std::find(piece.begin(), piece.end(), '\n') != piece.end())
      std::replace(text.begin() + static_cast<std::ptrdiff_t>(start), text.end(), '\n', ' ');
  }
  /// Ends the current command (a newline unless the line is still empty).
  void end_command(std::uint32_t from) {
    if (!text.empty() && text.back() != '\n')
      append('\n', from);
  }
  /// Room for a script of `n` bytes: about as much text, and a span per token of a few bytes.
  void reserve(std::size_t n) {
    text.reserve(n);
    spans.reserve(n / 6);
  }

  /// The source offset of the token that produced text[offset] (0 for an empty text).
  std::uint32_t origin_of(std::size_t offset) const noexcept {
    const auto after =
        std::upper_bound(spans.begin(), spans.end(), offset,
                         [](std::size_t value, const Span& span) { return value < span.start; });
    return after == spans.begin() ? 0 : std::prev(after)->origin;
  }

 private:
  void mark(std::uint32_t from) {
    if (spans.empty() || spans.back().origin != from)
      spans.push_back(Span{static_cast<std::uint32_t>(text.size()), from});
  }
};

/// Normalises `source` as a script of `language`.
NormalizedScript normalize(std::string_view source, Language language);

// One normaliser per language family (normalize_*.cpp).
NormalizedScript normalize_shell(std::string_view source);
NormalizedScript normalize_powershell(std::string_view source);
NormalizedScript normalize_python(std::string_view source);

}  // namespace opsgraph::safety::detail
