#include "store/list_cursor.hpp"

#include <charconv>
#include <opsgraph/store/task_store.hpp>
#include <optional>

namespace opsgraph::store::detail {
namespace {

// Cursors are hex over "1:<created_ms>:<id>": the leading version lets the format change later
// while old cursors still fail cleanly, and hex keeps ids with any bytes URL-safe.
constexpr std::string_view kFormatVersion = "1:";
constexpr std::string_view kHexDigits = "0123456789abcdef";
constexpr std::size_t kMaxCursorChars = 2 * (kMaxKeyBytes + 32);

std::optional<int> hex_value(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  return std::nullopt;
}

std::optional<std::string> hex_decode(std::string_view hex) {
  if (hex.size() % 2 != 0)
    return std::nullopt;
  std::string out;
  out.reserve(hex.size() / 2);
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    auto high = hex_value(hex[i]);
    auto low = hex_value(hex[i + 1]);
    if (!high || !low)
      return std::nullopt;
    out.push_back(static_cast<char>(*high * 16 + *low));
  }
  return out;
}

auto malformed() {
  return fail(errc::invalid_argument, "malformed list cursor");
}

}  // namespace

std::string encode_cursor(const CursorPosition& position) {
  std::string plain(kFormatVersion);
  plain += std::to_string(position.created_ms);
  plain += ':';
  plain += position.id;
  std::string hex;
  hex.reserve(plain.size() * 2);
  for (unsigned char c : plain) {
    hex.push_back(kHexDigits[c >> 4]);
    hex.push_back(kHexDigits[c & 0x0f]);
  }
  return hex;
}

result<CursorPosition> decode_cursor(std::string_view cursor) {
  if (cursor.size() > kMaxCursorChars)
    return malformed();
  auto plain = hex_decode(cursor);
  if (!plain || !plain->starts_with(kFormatVersion))
    return malformed();
  std::string_view rest(*plain);
  rest.remove_prefix(kFormatVersion.size());
  auto colon = rest.find(':');
  if (colon == std::string_view::npos || colon == 0)
    return malformed();
  CursorPosition position;
  auto digits = rest.substr(0, colon);
  auto [end, ec] =
      std::from_chars(digits.data(), digits.data() + digits.size(), position.created_ms);
  if (ec != std::errc{} || end != digits.data() + digits.size())
    return malformed();
  position.id = std::string(rest.substr(colon + 1));
  if (position.id.empty() || position.id.size() > kMaxKeyBytes)
    return malformed();
  return position;
}

}  // namespace opsgraph::store::detail
