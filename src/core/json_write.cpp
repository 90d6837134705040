// json::Writer over RapidJSON's Writer<StringBuffer>, and json::dump.

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <opsgraph/core/json.hpp>
#include <opsgraph/core/json_codec_core.hpp>
#include <opsgraph/core/json_writer.hpp>
#include <string>
#include <string_view>

#include "core/json_utf8.hpp"

namespace opsgraph::json {

namespace {

constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;

constexpr std::uint64_t has_zero_byte(std::uint64_t w) noexcept {
  return (w - kOnes) & ~w & kHighBits;
}

// Whether any of the eight bytes in `w` needs more than a copy: a control character, '"', '\\',
// or a non-ASCII byte (whose sequence must be checked).
constexpr bool needs_care(std::uint64_t w) noexcept {
  const std::uint64_t control = (w - kOnes * 0x20) & ~w & kHighBits;
  const std::uint64_t quote = has_zero_byte(w ^ (kOnes * '"'));
  const std::uint64_t backslash = has_zero_byte(w ^ (kOnes * '\\'));
  return ((w & kHighBits) | control | quote | backslash) != 0;
}

char* put_escape(char* out, unsigned char c) noexcept {
  static constexpr char kHex[] = "0123456789abcdef";
  *out++ = '\\';
  switch (c) {
    case '"':
      *out++ = '"';
      break;
    case '\\':
      *out++ = '\\';
      break;
    case '\b':
      *out++ = 'b';
      break;
    case '\f':
      *out++ = 'f';
      break;
    case '\n':
      *out++ = 'n';
      break;
    case '\r':
      *out++ = 'r';
      break;
    case '\t':
      *out++ = 't';
      break;
    default:
      *out++ = 'u';
      *out++ = '0';
      *out++ = '0';
      *out++ = kHex[c >> 4];
      *out++ = kHex[c & 0xF];
  }
  return out;
}

// The next at most eight bytes of `in` (`left` of them remain) as a word; past the end it is
// padded with spaces, which need no care, so a short string or a string's tail is checked at once.
std::uint64_t next_word(const char* in, std::size_t left) noexcept {
  std::uint64_t word = kOnes * ' ';
  if (left >= sizeof word)
    std::memcpy(&word, in, sizeof word);  // a fixed size: one load
  else
    std::memcpy(&word, in, left);
  return word;
}

// Appends `text` as a JSON string literal. One pass both escapes and checks UTF-8 (each ill-formed
// sequence becomes U+FFFD, so the output always parses); runs of plain ASCII, the common case,
// are copied eight bytes at a time, a short string or a string's tail included.
void put_string(rapidjson::StringBuffer& buffer, std::string_view text) {
  // Every byte as \u00XX and the quotes, plus the slack of a last whole-word copy.
  const std::size_t room = text.size() * 6 + 2 + sizeof(std::uint64_t);
  char* const start = buffer.Push(room);
  char* out = start;
  const char* in = text.data();
  const std::size_t size = text.size();
  *out++ = '"';
  std::size_t i = 0;
  while (i < size) {
    const std::size_t left = size - i;
    const std::uint64_t word = next_word(in + i, left);
    if (!needs_care(word)) {
      // A whole word is written even for a tail: the bytes past it are overwritten or popped.
      std::memcpy(out, &word, sizeof word);
      const std::size_t copied = left < sizeof word ? left : sizeof word;
      out += copied;
      i += copied;
      continue;
    }
    const auto c = static_cast<unsigned char>(in[i]);
    if (c >= 0x80) {
      const int length = detail::utf8_sequence(text, i);
      if (length > 0) {
        std::memcpy(out, in + i, static_cast<std::size_t>(length));
        out += length;
        i += static_cast<std::size_t>(length);
      } else {
        std::memcpy(out, "\xEF\xBF\xBD", 3);
        out += 3;
        i += static_cast<std::size_t>(-length);
      }
    } else if (c < 0x20 || c == '"' || c == '\\') {
      out = put_escape(out, c);
      ++i;
    } else {
      *out++ = static_cast<char>(c);
      ++i;
    }
  }
  *out++ = '"';
  buffer.Pop(room - static_cast<std::size_t>(out - start));
}

// Texts up to this long that need no care (member names, enum words, ids, hashes) take
// put_short_plain's path.
constexpr std::size_t kShortText = 64;

std::uint64_t load_word(const char* in) noexcept {
  std::uint64_t word;
  std::memcpy(&word, in, sizeof word);
  return word;
}

// Copies `text` with its quotes when it is at most kShortText bytes that need no care, and
// returns whether it did. Whole words are checked and copied, the last one overlapping the one
// before, so there is no byte loop and no memcpy of a variable size.
bool put_short_plain(rapidjson::StringBuffer& buffer, std::string_view text) {
  constexpr std::size_t kWord = sizeof(std::uint64_t);
  const std::size_t n = text.size();
  if (n > kShortText)
    return false;
  const char* in = text.data();
  char* out;
  if (n >= kWord) {
    const std::size_t last = n - kWord;
    for (std::size_t i = 0; i < last; i += kWord) {
      if (needs_care(load_word(in + i)))
        return false;
    }
    if (needs_care(load_word(in + last)))
      return false;
    out = buffer.Push(n + 2);
    for (std::size_t i = 0; i < last; i += kWord)
      std::memcpy(out + 1 + i, in + i, kWord);
    std::memcpy(out + 1 + last, in + last, kWord);
  } else if (n >= sizeof(std::uint32_t)) {
    std::uint32_t head, tail;
    std::memcpy(&head, in, sizeof head);
    std::memcpy(&tail, in + n - sizeof tail, sizeof tail);
    if (needs_care(head | (std::uint64_t{tail} << 32)))
      return false;
    out = buffer.Push(n + 2);
    std::memcpy(out + 1, &head, sizeof head);
    std::memcpy(out + 1 + n - sizeof tail, &tail, sizeof tail);
  } else {
    // The first, middle and last bytes are every byte of a text of up to three; spaces pad.
    std::uint64_t word = kOnes * ' ';
    if (n > 0) {
      word = (word & ~std::uint64_t{0xFFFFFF}) | static_cast<unsigned char>(in[0]) |
             (std::uint64_t{static_cast<unsigned char>(in[n / 2])} << 8) |
             (std::uint64_t{static_cast<unsigned char>(in[n - 1])} << 16);
    }
    if (needs_care(word))
      return false;
    out = buffer.Push(n + 2);
    if (n > 0) {
      out[1] = in[0];
      out[1 + n / 2] = in[n / 2];
      out[n] = in[n - 1];
    }
  }
  out[0] = '"';
  out[n + 1] = '"';
  return true;
}

}  // namespace

// RapidJSON's Writer keeps the structure (commas, colons, nesting) and formats numbers; strings
// and names are written by put_string behind an empty RawValue, which does the prefixing.
struct Writer::Impl {
  explicit Impl(std::size_t reserve_bytes) : buffer(nullptr, reserve_bytes), writer(buffer) {}

  void string(std::string_view text) {
    writer.RawValue("", 0, rapidjson::kStringType);
    if (!put_short_plain(buffer, text))
      put_string(buffer, text);
  }

  void write(const Value& value) {
    switch (value.kind()) {
      case Kind::null:
        writer.Null();
        return;
      case Kind::boolean:
        writer.Bool(*value.if_bool());
        return;
      case Kind::integer:
        writer.Int64(*value.if_integer());
        return;
      case Kind::number:
        number(*value.if_double());
        return;
      case Kind::string:
        string(*value.if_string());
        return;
      case Kind::array:
        writer.StartArray();
        for (const Value& element : *value.if_array())
          write(element);
        writer.EndArray();
        return;
      case Kind::object:
        writer.StartObject();
        for (const auto& [name, member] : *value.if_object()) {
          string(name);
          write(member);
        }
        writer.EndObject();
        return;
    }
  }

  void number(double d) {
    if (std::isfinite(d)) {
      writer.Double(d);
    } else {
      writer.Null();
    }
  }

  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer;
};

Writer::Writer(std::size_t reserve_bytes) : impl_(std::make_unique<Impl>(reserve_bytes)) {}
Writer::~Writer() = default;
Writer::Writer(Writer&&) noexcept = default;
Writer& Writer::operator=(Writer&&) noexcept = default;

Writer& Writer::begin_object() {
  impl_->writer.StartObject();
  return *this;
}

Writer& Writer::end_object() {
  impl_->writer.EndObject();
  return *this;
}

Writer& Writer::begin_array() {
  impl_->writer.StartArray();
  return *this;
}

Writer& Writer::end_array() {
  impl_->writer.EndArray();
  return *this;
}

Writer& Writer::key(std::string_view name) {
  impl_->string(name);
  return *this;
}

Writer& Writer::string(std::string_view text) {
  impl_->string(text);
  return *this;
}

Writer& Writer::integer(std::int64_t n) {
  impl_->writer.Int64(n);
  return *this;
}

Writer& Writer::unsigned_integer(std::uint64_t n) {
  impl_->writer.Uint64(n);
  return *this;
}

Writer& Writer::number(double d) {
  impl_->number(d);
  return *this;
}

Writer& Writer::boolean(bool b) {
  impl_->writer.Bool(b);
  return *this;
}

Writer& Writer::null() {
  impl_->writer.Null();
  return *this;
}

Writer& Writer::value(const Value& v) {
  impl_->write(v);
  return *this;
}

std::string_view Writer::view() const noexcept {
  return {impl_->buffer.GetString(), impl_->buffer.GetSize()};
}

std::size_t Writer::capacity() const noexcept {
  return impl_->buffer.stack_.GetCapacity();
}

std::string Writer::take() {
  std::string text(view());
  clear();
  return text;
}

void Writer::clear() noexcept {
  impl_->buffer.Clear();
  impl_->writer.Reset(impl_->buffer);
}

std::string dump(const Value& value) {
  detail::ScratchWriter scratch;
  scratch.get().value(value);
  return scratch.get().take();
}

}  // namespace opsgraph::json
