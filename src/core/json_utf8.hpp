#pragma once
// UTF-8 checks for the JSON writer (which must never emit text the parser rejects) and for
// locating the byte offset of invalid UTF-8 in parse errors. Private to src/core; header-only.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace opsgraph::json::detail {

/// The length of the well-formed sequence starting at `text[i]` (RFC 3629: no overlong forms, no
/// surrogates, nothing above U+10FFFF), or minus the number of bytes that make up the maximal
/// ill-formed subpart there (at least one), the unit Unicode replaces with one U+FFFD.
inline int utf8_sequence(std::string_view text, std::size_t i) noexcept {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  if (lead < 0x80)
    return 1;
  int length = 0;
  unsigned char low = 0x80;
  unsigned char high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0)
      low = 0xA0;  // overlong
    if (lead == 0xED)
      high = 0x9F;  // surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0)
      low = 0x90;  // overlong
    if (lead == 0xF4)
      high = 0x8F;  // above U+10FFFF
  } else {
    return -1;
  }
  for (int k = 1; k < length; ++k) {
    if (i + k >= text.size())
      return -k;
    const unsigned char c = byte(i + k);
    if (c < low || c > high)
      return -k;
    low = 0x80;
    high = 0xBF;
  }
  return length;
}

/// How many leading bytes of `text` are valid UTF-8; text.size() when all of it is.
inline std::size_t utf8_valid_prefix(std::string_view text) noexcept {
  std::size_t i = 0;
  while (i < text.size()) {
    // ASCII runs are the common case: eight bytes per step while no high bit is set.
    if (i + 8 <= text.size()) {
      std::uint64_t word;
      std::memcpy(&word, text.data() + i, sizeof word);
      if ((word & 0x8080808080808080ULL) == 0) {
        i += 8;
        continue;
      }
    }
    const int n = utf8_sequence(text, i);
    if (n < 0)
      return i;
    i += static_cast<std::size_t>(n);
  }
  return text.size();
}

}  // namespace opsgraph::json::detail
