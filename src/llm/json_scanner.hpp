#pragma once
// A strict single-pass JSON reader for small documents, where simdjson's per-document set-up (a
// padded copy, stage 1, the ondemand iterator) costs more than reading the text once. It checks
// the RFC 8259 grammar of everything it passes over — structure, literals, numbers, string
// escapes, UTF-8 — and answers any doubt with false: the caller then hands the text to a reader
// that explains errors. It needs no padding and never reads outside the text. One scanner reads
// one text; not thread-safe. Private to src/llm; exported only so that the unit tests can reach
// it.
//
// Everything the usual chunk passes through is inline; the rarer work (escapes, multi-byte
// UTF-8, numbers, nested values skipped whole) is out of line in scan::, taking the position by
// value.

#include <emmintrin.h>

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <opsgraph/export.hpp>
#include <optional>
#include <string_view>

namespace opsgraph::llm::wire {

namespace scan {

/// Past the UTF-8 character at `at` (its first byte is 0x80 or above), or null when it is not
/// well-formed by RFC 3629 (overlong, a surrogate, past U+10FFFF, cut by `end`).
OPSGRAPH_API const char* skip_utf8_character(const char* at, const char* end) noexcept;

/// Past the number at `at`, or null when there is none by the RFC 8259 grammar, or when it is
/// long enough that other parsers might judge it differently (declined, not decided).
OPSGRAPH_API const char* skip_number(const char* at, const char* end) noexcept;

/// Unescapes the rest of a string whose body starts at `begin` and whose first backslash is at
/// `at` into `to` (advanced past what it writes); past the closing quote, or null for a bad
/// escape, a lone surrogate, a raw control character or invalid UTF-8.
OPSGRAPH_API const char* unescape(const char* begin, const char* at, const char* end,
                                  char*& to) noexcept;

/// Past the object or array at `at`, checked all the way down, or null; strings in it are
/// unescaped into `unescaped` (advanced), and nesting past `depth` levels is declined.
OPSGRAPH_API const char* skip_container(const char* at, const char* end, char*& unescaped,
                                        int depth) noexcept;

/// Sixteen bytes at a time past plain ASCII string text, to the first '"', '\\', control
/// character or byte from 0x80 up, or to `end`. Most member names and short values end within
/// the first sixteen bytes, so the loop rarely mispredicts its exit.
inline const char* skip_plain_ascii(const char* at, const char* end) noexcept {
  while (end - at >= 16) {
    const __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i*>(at));
    // A signed compare: below 0x20 are the control characters and every byte from 0x80 up.
    const __m128i stops = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(block, _mm_set1_epi8('"')),
                                                    _mm_cmpeq_epi8(block, _mm_set1_epi8('\\'))),
                                       _mm_cmplt_epi8(block, _mm_set1_epi8(0x20)));
    const auto mask = static_cast<unsigned>(_mm_movemask_epi8(stops));
    if (mask != 0)
      return at + std::countr_zero(mask);
    at += 16;
  }
  while (at != end) {
    const auto c = static_cast<unsigned char>(*at);
    if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80)
      break;
    ++at;
  }
  return at;
}

/// Past string text (checking multi-byte UTF-8 characters) to the next '"', '\\' or control
/// character; null at `end` or on invalid UTF-8.
inline const char* to_quote_or_escape(const char* at, const char* end) noexcept {
  for (;;) {
    at = skip_plain_ascii(at, end);
    if (at == end)
      return nullptr;
    if (static_cast<unsigned char>(*at) < 0x80)
      return at;
    at = skip_utf8_character(at, end);
    if (at == nullptr)
      return nullptr;
  }
}

}  // namespace scan

class JsonScanner {
 public:
  /// Reads `text`; strings with escapes are unescaped into `unescaped`, which must have room for
  /// text.size() bytes (unescaping never lengthens a string) and outlive the views handed out.
  /// Nesting past `max_depth` levels is declined.
  JsonScanner(std::string_view text, char* unescaped, int max_depth = kMaxDepth) noexcept
      : at_(text.data()),
        end_(text.data() + text.size()),
        unescaped_(unescaped),
        depth_left_(max_depth) {}

  /// Deeper documents are declined (the fallback enforces the library's own limit).
  static constexpr int kMaxDepth = 32;

  /// Skips whitespace; true when nothing else is left.
  bool at_end() noexcept {
    skip_whitespace();
    return at_ == end_;
  }

  /// Skips whitespace; true when the next token starts with `c` (nothing is consumed).
  bool next_is(char c) noexcept {
    skip_whitespace();
    return at_ != end_ && *at_ == c;
  }

  /// Calls on_member(name) for each member of the object that must come next; on_member must
  /// consume the member's value. Member names with escapes are declined (matching them would
  /// need unescaping first).
  template <class F>
  bool each_member(F&& on_member) {
    if (!consume('{') || --depth_left_ < 0)
      return false;
    if (consume('}')) {
      ++depth_left_;
      return true;
    }
    return rest_of_members(on_member);
  }

  /// each_member() for a root object whose opening and first members an earlier scan of the same
  /// bytes read: a fresh scanner skips to `offset`, where the name of a later member of the root
  /// starts (its opening quote), and reads on from there.
  template <class F>
  bool each_member_from(std::size_t offset, F&& on_member) {
    at_ += offset;
    if (--depth_left_ < 0)
      return false;
    return rest_of_members(on_member);
  }

  /// Calls on_element() for each element of the array that must come next; on_element must
  /// consume it.
  template <class F>
  bool each_element(F&& on_element) {
    if (!consume('[') || --depth_left_ < 0)
      return false;
    if (!consume(']')) {
      do {
        if (!on_element())
          return false;
      } while (consume(','));
      if (!consume(']'))
        return false;
    }
    ++depth_left_;
    return true;
  }

  /// The string that must come next; it points into the text, or into `unescaped` when the
  /// string has escapes.
  bool string(std::string_view& out) noexcept {
    if (!consume('"'))
      return false;
    const char* const begin = at_;
    const char* at = scan::to_quote_or_escape(begin, end_);
    if (at == nullptr)
      return false;
    if (*at == '"') {
      out = std::string_view(begin, static_cast<std::size_t>(at - begin));
      at_ = at + 1;
      return true;
    }
    if (*at != '\\')
      return false;  // a raw control character
    char* to = unescaped_;
    at = scan::unescape(begin, at, end_, to);
    if (at == nullptr)
      return false;
    out = std::string_view(unescaped_, static_cast<std::size_t>(to - unescaped_));
    unescaped_ = to;
    at_ = at;
    return true;
  }

  /// A string, or null (which leaves `out` unset).
  bool nullable_string(std::optional<std::string_view>& out) noexcept {
    if (!next_is('"'))
      return literal("null");
    std::string_view s;
    if (!string(s))
      return false;
    out.emplace(s.data(), s.size());
    return true;
  }

  /// A non-negative integer without fraction or exponent that fits std::int64_t; anything else
  /// (negative, 1.0, 1e3, 19 digits or more) is declined.
  bool count(std::int64_t& out) noexcept {
    constexpr int kMaxDigits = 18;
    skip_whitespace();
    const char* at = at_;
    if (at == end_ || !is_digit(*at))
      return false;
    std::int64_t value = 0;
    if (*at == '0') {
      ++at;
    } else {
      while (at != end_ && is_digit(*at) && at - at_ < kMaxDigits)
        value = value * 10 + (*at++ - '0');
    }
    // A digit here is a leading zero's follower or a 19th digit; '.', 'e' or 'E' make a double.
    if (at != end_ && (is_digit(*at) || *at == '.' || *at == 'e' || *at == 'E'))
      return false;
    out = value;
    at_ = at;
    return true;
  }

  /// Any value, checked all the way down.
  bool skip_value() noexcept {
    skip_whitespace();
    if (at_ == end_)
      return false;
    const char* next = nullptr;
    switch (*at_) {
      case '{':
      case '[':
        next = scan::skip_container(at_, end_, unescaped_, depth_left_);
        break;
      case '"': {
        std::string_view s;
        return string(s);
      }
      case 't':
        return literal("true");
      case 'f':
        return literal("false");
      case 'n':
        return literal("null");
      default:
        next = scan::skip_number(at_, end_);
        break;
    }
    if (next == nullptr)
      return false;
    at_ = next;
    return true;
  }

 private:
  friend const char* scan::skip_container(const char* at, const char* end, char*& unescaped,
                                          int depth) noexcept;

  static bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

  // The members of an object from the name of one to the closing brace.
  template <class F>
  bool rest_of_members(F& on_member) {
    do {
      std::string_view member;
      if (!name(member) || !consume(':') || !on_member(member))
        return false;
    } while (consume(','));
    if (!consume('}'))
      return false;
    ++depth_left_;
    return true;
  }

  bool consume(char c) noexcept {
    // Compact JSON, the usual case, has the token right here.
    if (at_ != end_ && *at_ == c) {
      ++at_;
      return true;
    }
    if (!next_is(c))
      return false;
    ++at_;
    return true;
  }

  // Compact JSON has no whitespace at all: one compare decides that.
  void skip_whitespace() noexcept {
    const char* at = at_;
    while (at != end_ && static_cast<unsigned char>(*at) <= ' ' && is_whitespace(*at))
      ++at;
    at_ = at;
  }

  static bool is_whitespace(char c) noexcept {
    constexpr std::uint64_t kWhitespace = 1ULL << ' ' | 1ULL << '\n' | 1ULL << '\r' | 1ULL << '\t';
    return (kWhitespace >> static_cast<unsigned char>(c) & 1) != 0;
  }

  // Byte by byte: GCC turns this into a few compares, where memcmp would be a call.
  template <std::size_t N>
  bool literal(const char (&word)[N]) noexcept {
    if (static_cast<std::size_t>(end_ - at_) < N - 1)
      return false;
    for (std::size_t i = 0; i < N - 1; ++i) {
      if (at_[i] != word[i])
        return false;
    }
    at_ += N - 1;
    return true;
  }

  bool name(std::string_view& out) noexcept {
    if (!consume('"'))
      return false;
    const char* const begin = at_;
    const char* const at = scan::to_quote_or_escape(begin, end_);
    if (at == nullptr || *at != '"')
      return false;
    out = std::string_view(begin, static_cast<std::size_t>(at - begin));
    at_ = at + 1;
    return true;
  }

  const char* at_;
  const char* end_;
  char* unescaped_;  // where the next unescaped string goes
  int depth_left_;
};

}  // namespace opsgraph::llm::wire
