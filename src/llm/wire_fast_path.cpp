// simdjson ondemand under completion_rules.hpp. Each reader returns false to decline; the caller
// then falls back to the typed decoder, so nothing here needs to explain a failure.

#include "llm/wire_fast_path.hpp"

#include <simdjson.h>

#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "llm/completion_rules.hpp"
#include "llm/string_unescape.hpp"

namespace opsgraph::llm::wire {

namespace {

namespace od = simdjson::ondemand;

// Deeper documents are left to the typed decoder, which enforces the library's depth limit.
constexpr int kMaxDepth = 64;
// A reader that grew past this for one document lets the memory go before the next.
constexpr std::size_t kKeepBytes = std::size_t{1} << 20;
// Strings at least this long (with their quotes) are worth the AVX-512 unescaper.
constexpr std::size_t kLongString = 128;

// The offset of the first '"' or '\\' from `text`, eight bytes at a time. The input is a string
// that stage 1 found closed, in a buffer padded past its end, so the reads stay inside it.
std::size_t quote_or_backslash(const char* text) noexcept {
  static_assert(std::endian::native == std::endian::little, "byte order of the word scan");
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
  const auto zero_bytes = [](std::uint64_t w) { return (w - kOnes) & ~w & kHigh; };
  for (std::size_t at = 0;; at += 8) {
    std::uint64_t word = 0;
    std::memcpy(&word, text + at, sizeof word);
    // Only the lowest flagged byte is exact (a borrow can flag bytes above it), which is the one
    // wanted.
    const std::uint64_t hits = zero_bytes(word ^ (kOnes * '"')) | zero_bytes(word ^ (kOnes * '\\'));
    if (hits != 0)
      return at + static_cast<std::size_t>(__builtin_ctzll(hits) >> 3);
  }
}

// The name of a member, read in place; false for a name with escapes (left to the typed
// decoder, which unescapes names before matching them).
bool key_of(od::field& field, std::string_view& out) {
  const char* name = field.key().raw();
  const std::size_t end = quote_or_backslash(name);
  out = std::string_view(name, end);
  return name[end] == '"';
}

// Walks the members of `value` (an object), calling on_member(name, value) until one fails.
template <class F>
bool each_object_member(od::value& value, F&& on_member) {
  od::object object;
  if (value.get_object().get(object))
    return false;
  // Fields and elements are used in place (value_unsafe after the error check): copying them out
  // of their simdjson_result reloads what was just stored and stalls store forwarding.
  for (auto item : object) {
    std::string_view name;
    if (item.error() || !key_of(item.value_unsafe(), name) ||
        !on_member(name, item.value_unsafe().value())) {
      return false;
    }
  }
  return true;
}

// Consumes a string value whose text was read some other way: ondemand would otherwise skip it
// later without checking what follows it.
bool consume_string(od::value& value) {
  od::raw_json_string raw;
  return value.get_raw_json_string().get(raw) == simdjson::SUCCESS;
}

// A string value: read in place when it has no escapes (stage 1 has already checked its UTF-8
// and control characters); else, when long and `unescaped` is given, by the AVX-512 unescaper
// into one of its buffers; else by simdjson. `token` is its raw text, opening quote first.
bool string_of(od::value& value, std::string_view token, std::string_view& out,
               UnescapedStrings* unescaped = nullptr) {
  const char* body = token.data() + 1;
  const std::size_t end = quote_or_backslash(body);
  if (body[end] == '"') {
    out = std::string_view(body, end);
    return consume_string(value);
  }
  if (unescaped != nullptr && token.size() >= kLongString && unescaped->unescape(token, out))
    return consume_string(value);
  return value.get_string().get(out) == simdjson::SUCCESS;
}

// Consumes any value, checking it is well-formed JSON all the way down (ondemand alone would
// skip an unread value without looking inside it).
bool validate(od::value& value, int depth) {
  if (depth > kMaxDepth)
    return false;
  od::json_type type{};
  if (value.type().get(type))
    return false;
  switch (type) {
    case od::json_type::object:
      return each_object_member(value, [depth](std::string_view, od::value& member) {
        return validate(member, depth + 1);
      });
    case od::json_type::array: {
      od::array array;
      if (value.get_array().get(array))
        return false;
      for (auto item : array) {
        if (item.error() || !validate(item.value_unsafe(), depth + 1))
          return false;
      }
      return true;
    }
    case od::json_type::string: {
      std::string_view s;
      return string_of(value, value.raw_json_token(), s);
    }
    case od::json_type::number: {
      od::number n;
      return value.get_number().get(n) == simdjson::SUCCESS;
    }
    case od::json_type::boolean: {
      bool b = false;
      return value.get_bool().get(b) == simdjson::SUCCESS;
    }
    case od::json_type::null: {
      bool is_null = false;
      return value.is_null().get(is_null) == simdjson::SUCCESS && is_null;
    }
  }
  return false;
}

// A string or null member: null leaves `out` unset.
bool read_nullable_string(od::value& value, std::optional<std::string_view>& out,
                          UnescapedStrings* unescaped) {
  const std::string_view token = value.raw_json_token();
  if (token.starts_with('n'))
    return validate(value, 0);
  std::string_view s;
  if (!token.starts_with('"') || !string_of(value, token, s, unescaped))
    return false;
  out = s;
  return true;
}

// An ondemand value as completion_rules.hpp reads it; `depth` is its nesting in the document.
class OndemandValue {
 public:
  OndemandValue(od::value& value, int depth, UnescapedStrings& unescaped) noexcept
      : value_(value), depth_(depth), unescaped_(unescaped) {}

  template <class F>
  bool each_member(F&& on_member) {
    return each_object_member(value_, [&](std::string_view name, od::value& member) {
      OndemandValue wrapped(member, depth_ + 1, unescaped_);
      return on_member(name, wrapped);
    });
  }

  template <class F>
  bool each_element(F&& on_element) {
    od::array array;
    if (value_.get_array().get(array))
      return false;
    for (auto item : array) {
      if (item.error())
        return false;
      OndemandValue wrapped(item.value_unsafe(), depth_ + 1, unescaped_);
      if (!on_element(wrapped))
        return false;
    }
    return true;
  }

  bool nullable_string(std::optional<std::string_view>& out, Text text) {
    return read_nullable_string(value_, out, text == Text::long_text ? &unescaped_ : nullptr);
  }

  bool integer(std::int64_t& out) { return value_.get_int64().get(out) == simdjson::SUCCESS; }

  bool null_next() { return value_.raw_json_token().starts_with('n'); }

  bool skip() { return validate(value_, depth_); }

 private:
  od::value& value_;
  int depth_;
  UnescapedStrings& unescaped_;
};

}  // namespace

bool UnescapedStrings::unescape(std::string_view token, std::string_view& out) {
  if (used_ == buffers_.size())
    buffers_.emplace_back();
  Buffer& buffer = buffers_[used_];
  // The raw token bounds the unescaped length; the unescaper writes up to 64 bytes past it.
  const std::size_t needed = token.size() + 64;
  if (buffer.capacity < needed) {
    buffer.bytes = std::make_unique_for_overwrite<char[]>(needed);
    buffer.capacity = needed;
  }
  std::size_t written = 0;
  if (!unescape_simple(token.data() + 1, buffer.bytes.get(), written))
    return false;
  ++used_;
  out = std::string_view(buffer.bytes.get(), written);
  return true;
}

bool FastReader::read(std::string_view text, Shape shape, CompletionView& out) {
  // A reader grown by a huge document lets it go before the next one (not after: the views of
  // the last read point into it).
  if (buffer_.capacity() > kKeepBytes && text.size() <= kKeepBytes) {
    parser_ = od::parser();
    buffer_ = std::string();
    unescaped_ = UnescapedStrings();
  }
  unescaped_.reset();
  buffer_.resize(text.size() + simdjson::SIMDJSON_PADDING);
  std::memcpy(buffer_.data(), text.data(), text.size());
  od::document doc;
  od::value root;
  bool read = !parser_.iterate(buffer_.data(), text.size(), buffer_.size()).get(doc) &&
              !doc.get_value().get(root);
  if (read) {
    OndemandValue value(root, 0, unescaped_);
    read = read_completion(value, shape, out);
  }
  // Nothing may follow the root object: the next token must be the end of the input.
  const char* next = nullptr;
  read = read && doc.current_location().get(next) == simdjson::OUT_OF_BOUNDS;
  if (!read)
    out = CompletionView{};
  return read;
}

FastReader& thread_reader() {
  thread_local FastReader reader;
  return reader;
}

}  // namespace opsgraph::llm::wire
