// 64 bytes per step: find the escaping backslashes (simdjson's odd-run rule, carried across
// steps), translate the escaped characters through a 128-entry table, and compress the escaping
// backslashes away with vpcompressb.

#include "llm/string_unescape.hpp"

#include <immintrin.h>

#include <cstddef>
#include <cstdint>

namespace opsgraph::llm::wire {

namespace {

#define OPSGRAPH_AVX512_VBMI2 __attribute__((target("avx512f,avx512bw,avx512vbmi,avx512vbmi2")))

// The character each simple escape stands for, indexed by the escaped character; 0 for every
// character that does not form a simple escape (\u included).
struct EscapeTable {
  alignas(64) std::uint8_t bytes[128] = {};
  constexpr EscapeTable() {
    bytes['"'] = '"';
    bytes['\\'] = '\\';
    bytes['/'] = '/';
    bytes['b'] = '\b';
    bytes['f'] = '\f';
    bytes['n'] = '\n';
    bytes['r'] = '\r';
    bytes['t'] = '\t';
  }
};
constexpr EscapeTable kEscapes;

// The characters escaped by a backslash (not the backslashes doing the escaping), given the
// backslashes of this block and whether its first byte is escaped by the previous block.
// simdjson's rule: a run of backslashes escapes the byte after it when its length is odd.
std::uint64_t escaped_characters(std::uint64_t backslash, std::uint64_t& next_is_escaped) {
  constexpr std::uint64_t kEvenBits = 0x5555555555555555ULL;
  backslash &= ~next_is_escaped;
  const std::uint64_t follows_escape = backslash << 1 | next_is_escaped;
  const std::uint64_t odd_sequence_starts = backslash & ~kEvenBits & ~follows_escape;
  std::uint64_t sequences_starting_on_even_bits = 0;
  next_is_escaped =
      __builtin_add_overflow(odd_sequence_starts, backslash, &sequences_starting_on_even_bits);
  const std::uint64_t invert_mask = sequences_starting_on_even_bits << 1;
  return (kEvenBits ^ invert_mask) & follows_escape;
}

// Each step stores all 64 bytes of the compressed block (cheaper than a masked compressing
// store); the next step overwrites what lies past the bytes kept.
OPSGRAPH_AVX512_VBMI2 bool unescape_avx512(const char* body, char* out, std::size_t& written) {
  const __m512i table_low = _mm512_load_si512(kEscapes.bytes);
  const __m512i table_high = _mm512_load_si512(kEscapes.bytes + 64);
  const __m512i quote = _mm512_set1_epi8('"');
  const __m512i backslash = _mm512_set1_epi8('\\');
  char* to = out;
  std::uint64_t next_is_escaped = 0;
  for (const char* in = body;; in += 64) {
    const __m512i block = _mm512_loadu_si512(in);
    const std::uint64_t backslashes = _mm512_cmpeq_epi8_mask(block, backslash);
    const std::uint64_t escaped = escaped_characters(backslashes, next_is_escaped);
    const std::uint64_t quotes = _mm512_cmpeq_epi8_mask(block, quote) & ~escaped;
    // Bytes up to (not including) the closing quote, if it is in this block.
    const std::uint64_t in_string = quotes == 0 ? ~0ULL : (quotes & -quotes) - 1;
    const std::uint64_t escapes = escaped & in_string;
    const __m512i translated = _mm512_permutex2var_epi8(table_low, block, table_high);
    const std::uint64_t untranslatable =
        _mm512_testn_epi8_mask(translated, translated) | _mm512_movepi8_mask(block);
    if ((escapes & untranslatable) != 0)
      return false;  // \u or an invalid escape: simdjson handles both
    const std::uint64_t keep = in_string & ~(backslashes & ~escaped);
    const __m512i unescaped = _mm512_mask_blend_epi8(escapes, block, translated);
    _mm512_storeu_si512(to, _mm512_maskz_compress_epi8(keep, unescaped));
    to += __builtin_popcountll(keep);
    if (quotes != 0)
      break;
  }
  written = static_cast<std::size_t>(to - out);
  return true;
}

}  // namespace

bool has_fast_unescape() noexcept {
  static const bool supported =
      __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
      __builtin_cpu_supports("avx512vbmi") && __builtin_cpu_supports("avx512vbmi2");
  return supported;
}

bool unescape_simple(const char* body, char* out, std::size_t& written) {
  return has_fast_unescape() && unescape_avx512(body, out, written);
}

}  // namespace opsgraph::llm::wire
