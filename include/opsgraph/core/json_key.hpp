#pragma once
// opsgraph::json::KeyText — an object member's name together with the text json::Writer writes
// for it, made at compile time, so that writing a name known in advance is one copy. json::Codec
// makes one per field of every struct with a json::Schema.

#include <array>
#include <cstddef>
#include <string_view>
#include <utility>

namespace opsgraph::json {

/// A member name and its JSON text, `"name":`. Made only at compile time, where the text is
/// checked against the name. A name that would need escaping is given no text, and is then
/// written like any other key.
class KeyText {
 public:
  /// `text` must be empty or exactly `"name":`, and is empty when the name needs escaping.
  consteval KeyText(std::string_view name, std::string_view text) : name_(name), text_(text) {
    if (text.empty())
      return;
    if (!writes_as_is(name))
      throw "json::KeyText: a name that needs escaping has no text";
    if (text.size() != name.size() + 3 || text.front() != '"' ||
        text.substr(1, name.size()) != name || text.substr(name.size() + 1) != "\":")
      throw "json::KeyText: the text is not the quoted name and a colon";
  }

  constexpr std::string_view name() const noexcept { return name_; }
  /// `"name":`, or empty when the name needs escaping.
  constexpr std::string_view text() const noexcept { return text_; }

  /// Whether `name` is written as it is between the quotes: printable ASCII, no '"' or '\\'.
  static constexpr bool writes_as_is(std::string_view name) noexcept {
    for (const char c : name) {
      if (c < 0x20 || c > 0x7E || c == '"' || c == '\\')
        return false;
    }
    return true;
  }

 private:
  std::string_view name_;
  std::string_view text_;
};

namespace detail {

// How many bytes the texts of `names` take, one after another (names that need escaping have
// none).
template <std::size_t N>
consteval std::size_t quoted_size(const std::array<std::string_view, N>& names) {
  std::size_t size = 0;
  for (auto name : names)
    size += KeyText::writes_as_is(name) ? name.size() + 3 : 0;
  return size;
}

// The texts of `names`, `"name":` one after another; Size is quoted_size(names).
template <std::size_t Size, std::size_t N>
consteval std::array<char, Size> quote_names(const std::array<std::string_view, N>& names) {
  std::array<char, Size> text{};
  std::size_t at = 0;
  for (auto name : names) {
    if (!KeyText::writes_as_is(name))
      continue;
    text[at++] = '"';
    for (char c : name)
      text[at++] = c;
    text[at++] = '"';
    text[at++] = ':';
  }
  return text;
}

// A KeyText per name, its text cut from `quoted` (made by quote_names, kept in static storage).
template <std::size_t N, std::size_t... I>
consteval std::array<KeyText, N> key_texts(const std::array<std::string_view, N>& names,
                                           std::string_view quoted, std::index_sequence<I...>) {
  std::array<std::size_t, N + 1> starts{};
  for (std::size_t i = 0; i < N; ++i)
    starts[i + 1] = starts[i] + (KeyText::writes_as_is(names[i]) ? names[i].size() + 3 : 0);
  return {KeyText(names[I], quoted.substr(starts[I], starts[I + 1] - starts[I]))...};
}

}  // namespace detail

}  // namespace opsgraph::json
