// The rarer half of the scanner: escapes, multi-byte UTF-8, numbers, and nested values skipped
// whole. Limits that simdjson or the typed decoder might judge differently (huge numbers, lone
// surrogates) are declined rather than decided here.

#include "llm/json_scanner.hpp"

#include <cstddef>
#include <string_view>

namespace opsgraph::llm::wire::scan {

namespace {

// Longer numbers are declined: simdjson rejects some of them (integers past 64 bits, doubles
// past their range), and they never occur where the scanner is used.
constexpr std::ptrdiff_t kMaxIntegerDigits = 18;
constexpr std::ptrdiff_t kMaxExponentDigits = 2;
constexpr std::ptrdiff_t kMaxNumberBytes = 40;

bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}

bool is_continuation(unsigned char c) noexcept {
  return (c & 0xC0) == 0x80;
}

const char* skip_digits(const char* at, const char* end) noexcept {
  while (at != end && is_digit(*at))
    ++at;
  return at;
}

// Four hex digits at `at` into `out`; false when they are not there.
bool hex4(const char* at, const char* end, unsigned& out) noexcept {
  if (end - at < 4)
    return false;
  unsigned value = 0;
  for (int i = 0; i < 4; ++i) {
    const char c = at[i];
    unsigned digit = 0;
    if (c >= '0' && c <= '9') {
      digit = static_cast<unsigned>(c - '0');
    } else if (c >= 'a' && c <= 'f') {
      digit = static_cast<unsigned>(c - 'a' + 10);
    } else if (c >= 'A' && c <= 'F') {
      digit = static_cast<unsigned>(c - 'A' + 10);
    } else {
      return false;
    }
    value = value << 4 | digit;
  }
  out = value;
  return true;
}

void put_utf8(unsigned code, char*& to) noexcept {
  const auto put = [&to](unsigned byte) { *to++ = static_cast<char>(byte); };
  if (code < 0x80) {
    put(code);
  } else if (code < 0x800) {
    put(0xC0 | code >> 6);
    put(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    put(0xE0 | code >> 12);
    put(0x80 | (code >> 6 & 0x3F));
    put(0x80 | (code & 0x3F));
  } else {
    put(0xF0 | code >> 18);
    put(0x80 | (code >> 12 & 0x3F));
    put(0x80 | (code >> 6 & 0x3F));
    put(0x80 | (code & 0x3F));
  }
}

// After "\u": four hex digits, and for a high surrogate the "\uDC00".."\uDFFF" that must follow.
// Past the escape, or null.
const char* unicode_escape(const char* at, const char* end, char*& to) noexcept {
  unsigned code = 0;
  if (!hex4(at, end, code) || (code >= 0xDC00 && code <= 0xDFFF))
    return nullptr;
  at += 4;
  if (code >= 0xD800 && code <= 0xDBFF) {
    unsigned low = 0;
    if (end - at < 2 || at[0] != '\\' || at[1] != 'u' || !hex4(at + 2, end, low) || low < 0xDC00 ||
        low > 0xDFFF) {
      return nullptr;
    }
    at += 6;
    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
  }
  put_utf8(code, to);
  return at;
}

// The escape at `at` (on its backslash) into `to`; past it, or null.
const char* escape(const char* at, const char* end, char*& to) noexcept {
  if (end - at < 2)
    return nullptr;
  const char c = at[1];
  at += 2;
  switch (c) {
    case '"':
    case '\\':
    case '/':
      *to++ = c;
      return at;
    case 'b':
      *to++ = '\b';
      return at;
    case 'f':
      *to++ = '\f';
      return at;
    case 'n':
      *to++ = '\n';
      return at;
    case 'r':
      *to++ = '\r';
      return at;
    case 't':
      *to++ = '\t';
      return at;
    case 'u':
      return unicode_escape(at, end, to);
    default:
      return nullptr;
  }
}

}  // namespace

const char* skip_utf8_character(const char* at, const char* end) noexcept {
  const auto* const s = reinterpret_cast<const unsigned char*>(at);
  const unsigned char lead = s[0];
  std::ptrdiff_t size = 0;
  unsigned char low = 0x80;  // the range allowed for the second byte
  unsigned char high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    size = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    size = 3;
    low = lead == 0xE0 ? 0xA0 : 0x80;   // no overlong forms
    high = lead == 0xED ? 0x9F : 0xBF;  // no surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    size = 4;
    low = lead == 0xF0 ? 0x90 : 0x80;   // no overlong forms
    high = lead == 0xF4 ? 0x8F : 0xBF;  // nothing past U+10FFFF
  } else {
    return nullptr;
  }
  if (end - at < size || s[1] < low || s[1] > high)
    return nullptr;
  for (std::ptrdiff_t i = 2; i < size; ++i) {
    if (!is_continuation(s[i]))
      return nullptr;
  }
  return at + size;
}

// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?; what follows is left to the caller's grammar.
const char* skip_number(const char* at, const char* end) noexcept {
  const char* const begin = at;
  if (at != end && *at == '-')
    ++at;
  if (at != end && *at == '0') {
    ++at;
  } else {
    const char* const digits = at;
    at = skip_digits(at, end);
    if (at == digits || at - digits > kMaxIntegerDigits)
      return nullptr;
  }
  if (at != end && *at == '.') {
    const char* const digits = ++at;
    at = skip_digits(at, end);
    if (at == digits)
      return nullptr;
  }
  if (at != end && (*at == 'e' || *at == 'E')) {
    ++at;
    if (at != end && (*at == '+' || *at == '-'))
      ++at;
    const char* const digits = at;
    at = skip_digits(at, end);
    if (at == digits || at - digits > kMaxExponentDigits)
      return nullptr;
  }
  return at - begin <= kMaxNumberBytes ? at : nullptr;
}

const char* unescape(const char* begin, const char* at, const char* end, char*& to) noexcept {
  char* out = to;
  const auto copy = [&out](const char* from, const char* until) {
    const auto size = static_cast<std::size_t>(until - from);
    std::memcpy(out, from, size);
    out += size;
  };
  copy(begin, at);
  for (;;) {
    at = escape(at, end, out);
    if (at == nullptr)
      return nullptr;
    const char* const run = at;
    at = to_quote_or_escape(at, end);
    if (at == nullptr)
      return nullptr;
    copy(run, at);
    if (*at == '"')
      break;
    if (*at != '\\')
      return nullptr;  // a raw control character
  }
  to = out;
  return at + 1;
}

const char* skip_container(const char* at, const char* end, char*& unescaped, int depth) noexcept {
  JsonScanner json(std::string_view(at, static_cast<std::size_t>(end - at)), unescaped, depth);
  const auto skip = [&json] { return json.skip_value(); };
  const bool skipped = *at == '{' ? json.each_member([&skip](std::string_view) { return skip(); })
                                  : json.each_element(skip);
  if (!skipped)
    return nullptr;
  unescaped = json.unescaped_;
  return json.at_;
}

}  // namespace opsgraph::llm::wire::scan
