#pragma once
// A fast unescaper for long JSON strings dense with escapes — a model's JSON answer inside the
// content string has an escaped quote every few bytes, where simdjson's general string parser
// slows to a byte-at-a-time crawl. AVX-512 (VBMI2) machines only; elsewhere, and for any string
// it does not handle, it declines and the caller uses simdjson. Stateless; thread-safe. Private
// to src/llm.

#include <cstddef>

namespace opsgraph::llm::wire {

/// Whether unescape_simple can run on this machine.
bool has_fast_unescape() noexcept;

/// Unescapes the JSON string starting at `body` (the byte after its opening quote) up to its
/// closing quote into `out`, and sets `written` to its length. `body` must have passed
/// simdjson's stage 1 (valid UTF-8, no control characters, a closing quote) and stay readable
/// for 64 bytes past the closing quote (simdjson's padding); `out` must have room for the
/// string's escaped length plus 64 bytes. False when the string holds a \u escape or an invalid
/// escape, or when the machine lacks AVX-512 VBMI2: the caller then falls back to simdjson, which
/// handles every case and reports errors.
bool unescape_simple(const char* body, char* out, std::size_t& written);

}  // namespace opsgraph::llm::wire
