#pragma once
// Decoders the normalisers use to look inside obfuscated payloads. Private to src/safety.

#include <optional>
#include <string>
#include <string_view>

namespace opsgraph::safety::detail {

/// Decodes standard or URL-safe base64, ignoring whitespace; nullopt when `text` is not base64
/// (wrong alphabet, bad padding) or shorter than 8 characters, which no payload worth hiding is.
std::optional<std::string> decode_base64(std::string_view text);

/// UTF-16LE bytes (what PowerShell's -EncodedCommand carries) as UTF-8; unpaired surrogates become
/// U+FFFD and an odd trailing byte is dropped.
std::string utf16le_to_utf8(std::string_view bytes);

/// Whether `bytes` looks like UTF-16LE text: mostly zero odd bytes.
bool looks_like_utf16le(std::string_view bytes) noexcept;

}  // namespace opsgraph::safety::detail
