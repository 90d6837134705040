// json::Writer, and json::dump. Numbers are formatted by RapidJSON's dtoa and itoa; the rest is
// written here.

#include <rapidjson/internal/dtoa.h>
#include <rapidjson/internal/itoa.h>

#include <algorithm>
#include <bit>
#include <cassert>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
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

// Sixteen bytes as one value, where the compiler has vectors of them (SSE2 on x86-64, NEON on
// AArch64): a block is checked for bytes that need care in a handful of instructions.
using Block = unsigned char __attribute__((vector_size(16)));

Block load_block(const char* in) noexcept {
  Block block;
  std::memcpy(&block, in, sizeof block);
  return block;
}

// The block's bytes that need care, each as 0xFF in a half of the block (the others 0).
void care_bytes(Block block, std::uint64_t (&halves)[2]) noexcept {
  const auto care = (block < 0x20) | (block == '"') | (block == '\\') | (block >= 0x80);
  std::memcpy(halves, &care, sizeof halves);
}

bool needs_care(Block block) noexcept {
  std::uint64_t halves[2];
  care_bytes(block, halves);
  return (halves[0] | halves[1]) != 0;
}

// How many bytes at the start of `block` need no care: all sixteen, or the place of the first
// that does.
std::size_t plain_prefix(Block block) noexcept {
  std::uint64_t halves[2];
  care_bytes(block, halves);
  const auto first_in = [](std::uint64_t half) -> std::size_t {
    if constexpr (std::endian::native == std::endian::little)
      return static_cast<std::size_t>(std::countr_zero(half)) / 8;
    else
      return static_cast<std::size_t>(std::countl_zero(half)) / 8;
  };
  if (halves[0] != 0)
    return first_in(halves[0]);
  if (halves[1] != 0)
    return sizeof(std::uint64_t) + first_in(halves[1]);
  return sizeof(Block);
}

// Copies `n` bytes, sizeof(Word) to twice that, as a head and a tail word that overlap.
template <class Word>
[[gnu::always_inline]] inline void copy_head_tail(char* out, const char* in,
                                                  std::size_t n) noexcept {
  Word head, tail;
  std::memcpy(&head, in, sizeof head);
  std::memcpy(&tail, in + n - sizeof tail, sizeof tail);
  std::memcpy(out, &head, sizeof head);
  std::memcpy(out + n - sizeof tail, &tail, sizeof tail);
}

// Copies `n` bytes, at most 32, as two fixed-size copies of which the second overlaps the first:
// no call to memcpy and no byte loop for the member names and literals an encoder writes most.
// Inlined always, so that each caller's copy is a few moves, not a call.
[[gnu::always_inline]] inline void copy_short(char* out, const char* in, std::size_t n) noexcept {
  if (n >= sizeof(Block)) {
    copy_head_tail<Block>(out, in, n);
  } else if (n >= sizeof(std::uint64_t)) {
    copy_head_tail<std::uint64_t>(out, in, n);
  } else if (n >= sizeof(std::uint32_t)) {
    copy_head_tail<std::uint32_t>(out, in, n);
  } else if (n > 0) {
    // The first, middle and last bytes are every byte of a text of up to three.
    out[0] = in[0];
    out[n / 2] = in[n / 2];
    out[n - 1] = in[n - 1];
  }
}

constexpr std::size_t kShortCopy = 2 * sizeof(Block);

// The output: a growing byte buffer written through raw pointers. room(n) makes sure n more bytes
// fit and returns where they go; advance() then counts what was written.
class Buffer {
 public:
  explicit Buffer(std::size_t reserve_bytes) { grow(reserve_bytes); }

  char* room(std::size_t n) {
    if (capacity_ - size_ < n)
      grow(n);
    return data_.get() + size_;
  }
  // Bytes that fit before the buffer must grow, and where the next one goes: for the hot paths,
  // which check once that their longest output fits and then write with no call.
  std::size_t free() const noexcept { return capacity_ - size_; }
  char* end() noexcept { return data_.get() + size_; }
  void advance(std::size_t n) noexcept { size_ += n; }
  void put(char c) {
    *room(1) = c;
    ++size_;
  }
  void put(std::string_view text) {
    if (text.size() <= kShortCopy)
      copy_short(room(text.size()), text.data(), text.size());
    else
      std::memcpy(room(text.size()), text.data(), text.size());
    size_ += text.size();
  }

  std::string_view view() const noexcept { return {data_.get(), size_}; }
  std::size_t capacity() const noexcept { return capacity_; }
  void clear() noexcept { size_ = 0; }

 private:
  [[gnu::noinline]] void grow(std::size_t more) {
    const std::size_t capacity = std::max({capacity_ * 2, size_ + more, std::size_t{64}});
    auto data = std::make_unique_for_overwrite<char[]>(capacity);
    if (size_ > 0)
      std::memcpy(data.get(), data_.get(), size_);
    data_ = std::move(data);
    capacity_ = capacity;
  }

  std::unique_ptr<char[]> data_;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

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
// are copied sixteen bytes at a time up to the next byte that needs care (a script's text has one
// every line), then eight at a time in a string's tail.
void put_string(Buffer& buffer, std::string_view text) {
  // Every byte as \u00XX and the quotes, plus the slack of a last whole-word copy.
  char* const start = buffer.room(text.size() * 6 + 2 + sizeof(std::uint64_t));
  char* out = start;
  const char* in = text.data();
  const std::size_t size = text.size();
  *out++ = '"';
  std::size_t i = 0;
  while (i < size) {
    const std::size_t left = size - i;
    if (left >= sizeof(Block)) {
      // The whole block is written, and what follows its plain prefix overwritten.
      const Block block = load_block(in + i);
      const std::size_t plain = plain_prefix(block);
      std::memcpy(out, &block, sizeof block);
      out += plain;
      i += plain;
      if (plain == sizeof block)
        continue;
    } else {
      const std::uint64_t word = next_word(in + i, left);
      if (!needs_care(word)) {
        // A whole word is written even for a tail: the bytes past it are overwritten or popped.
        std::memcpy(out, &word, sizeof word);
        const std::size_t copied = left < sizeof word ? left : sizeof word;
        out += copied;
        i += copied;
        continue;
      }
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
  buffer.advance(static_cast<std::size_t>(out - start));
}

// Texts up to this long that need no care (member names, enum words, ids, hashes) take
// put_short_plain's path.
constexpr std::size_t kShortText = 64;

std::uint64_t load_word(const char* in) noexcept {
  std::uint64_t word;
  std::memcpy(&word, in, sizeof word);
  return word;
}

// Writes `text` with its quotes at `out`, which has room for kShortText + 2 bytes, when it is at
// most kShortText bytes that need no care, and returns how many bytes that took (0: it did not).
// Whole blocks or words are checked and copied, the last one overlapping the one before, so there
// is no byte loop, no memcpy of a variable size and no call: inlined into the hot paths.
[[gnu::always_inline]] inline std::size_t put_short_plain(char* out, std::string_view text) {
  constexpr std::size_t kBlock = sizeof(Block);
  constexpr std::size_t kWord = sizeof(std::uint64_t);
  const std::size_t n = text.size();
  if (n > kShortText)
    return 0;
  const char* in = text.data();
  if (n >= kBlock) {
    const std::size_t last = n - kBlock;
    for (std::size_t i = 0; i < last; i += kBlock) {
      if (needs_care(load_block(in + i)))
        return 0;
    }
    if (needs_care(load_block(in + last)))
      return 0;
    for (std::size_t i = 0; i < last; i += kBlock)
      std::memcpy(out + 1 + i, in + i, kBlock);
    std::memcpy(out + 1 + last, in + last, kBlock);
  } else if (n >= kWord) {
    const std::uint64_t head = load_word(in);
    const std::uint64_t tail = load_word(in + n - kWord);
    if (needs_care(head) || needs_care(tail))
      return 0;
    std::memcpy(out + 1, &head, kWord);
    std::memcpy(out + 1 + n - kWord, &tail, kWord);
  } else if (n >= sizeof(std::uint32_t)) {
    std::uint32_t head, tail;
    std::memcpy(&head, in, sizeof head);
    std::memcpy(&tail, in + n - sizeof tail, sizeof tail);
    if (needs_care(head | (std::uint64_t{tail} << 32)))
      return 0;
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
      return 0;
    if (n > 0) {
      out[1] = in[0];
      out[1 + n / 2] = in[n / 2];
      out[n] = in[n - 1];
    }
  }
  out[0] = '"';
  out[n + 1] = '"';
  return n + 2;
}

// Writes `d` when it is a whole number of millionths below 1e9 in magnitude, as dtoa would (the
// fewest digits that read back as `d`, and at least one after the point), and returns the end; null
// for any other number. Scores, confidences and durations in milliseconds are such numbers, and
// this costs a fraction of Grisu's search. Below 1e9 doubles are less than 1e-6 apart, so two
// numbers of millionths never read back as the same double: none shorter than these digits does.
char* put_millionths(char* out, double d) noexcept {
  constexpr double kPerUnit = 1e6;
  const double magnitude = std::fabs(d);
  if (!(magnitude < 1e9))
    return nullptr;
  const double units = std::nearbyint(magnitude * kPerUnit);
  // The division is exact to the last bit, as reading the digits back is.
  if (units / kPerUnit != magnitude)
    return nullptr;
  const auto whole_units = static_cast<std::uint64_t>(units);
  if (std::signbit(d))
    *out++ = '-';
  out = rapidjson::internal::u64toa(whole_units / 1'000'000, out);
  *out++ = '.';
  auto fraction = static_cast<std::uint32_t>(whole_units % 1'000'000);
  if (fraction == 0) {
    *out++ = '0';
    return out;
  }
  char digits[6];
  for (std::size_t i = sizeof digits; i-- > 0; fraction /= 10)
    digits[i] = static_cast<char>('0' + fraction % 10);
  std::size_t length = sizeof digits;
  while (digits[length - 1] == '0')
    --length;
  std::memcpy(out, digits, length);
  return out + length;
}

}  // namespace

// The structure needs one bit of state: whether the next item follows a value in the same
// container (so a comma goes first). A key clears it, since its value follows the colon; opening a
// container clears it; a value, or a container's end, sets it. Debug builds also keep the stack of
// open containers to assert that the calls form a valid document.
struct Writer::Impl {
  explicit Impl(std::size_t reserve_bytes) : buffer(reserve_bytes) {}

  // Before a value: its comma, if one is due.
  void begin_value() {
    check_value();
    if (after_value)
      buffer.put(',');
    after_value = true;
  }

  void open(char bracket) {
    begin_value();
    buffer.put(bracket);
    after_value = false;
#ifndef NDEBUG
    open_containers.push_back(bracket);
    key_written = false;
#endif
  }

  void close(char bracket) {
#ifndef NDEBUG
    assert(!open_containers.empty() && !key_written);
    assert(open_containers.back() == (bracket == '}' ? '{' : '['));
    open_containers.pop_back();
#endif
    buffer.put(bracket);
    after_value = true;
  }

  // What a member name changes besides the comma: the value after the colon needs none.
  void begin_key_state() {
#ifndef NDEBUG
    assert(!open_containers.empty() && open_containers.back() == '{' && !key_written);
    key_written = true;
#endif
    after_value = false;
  }

  // Room for the longest output of try_short: a comma, a short text with its quotes, a colon.
  static constexpr std::size_t kShortRoom = kShortText + 4;

  // The usual key or string: the comma when one is due, `text` quoted, and the colon when one is
  // due, written with no call when the text is short and plain and the buffer has room. False,
  // with nothing written, otherwise.
  [[gnu::always_inline]] bool try_short(std::string_view text, bool comma, bool colon) {
    if (buffer.free() < kShortRoom)
      return false;
    char* out = buffer.end();
    *out = ',';  // past the end, and overwritten, when no comma is due
    out += comma;
    const std::size_t n = put_short_plain(out, text);
    if (n == 0)
      return false;
    out[n] = ':';  // likewise
    buffer.advance(comma + n + colon);
    return true;
  }

  // Any other key or string; out of line, so that the usual case saves no registers for it.
  [[gnu::noinline]] void put_any(std::string_view text, bool comma, bool colon) {
    if (comma)
      buffer.put(',');
    put_string(buffer, text);
    if (colon)
      buffer.put(':');
  }

  // Out of line: the fallback of key(const KeyText&), whose usual case then saves no registers.
  [[gnu::noinline]] void key(std::string_view name) {
    const bool comma = after_value;
    begin_key_state();
    if (!try_short(name, comma, /*colon=*/true))
      put_any(name, comma, /*colon=*/true);
  }

  // The comma, when one is due, and the quoted name with its colon, written as one piece.
  void key(const KeyText& key) {
    const std::string_view text = key.text();  // empty when the name needs escaping
    if (text.empty() || text.size() > kShortCopy || buffer.free() <= kShortCopy) {
      this->key(key.name());
      return;
    }
    const bool comma = after_value;
    begin_key_state();
    char* out = buffer.end();
    *out = ',';
    copy_short(out + comma, text.data(), text.size());
    buffer.advance(comma + text.size());
  }

  // Out of line, with its fallback a tail call: the usual case then saves no registers.
  [[gnu::noinline]] void string(std::string_view text) {
    check_value();
    const bool comma = after_value;
    after_value = true;
    if (!try_short(text, comma, /*colon=*/false))
      put_any(text, comma, /*colon=*/false);
  }

  void integer(std::int64_t n) {
    begin_value();
    char* out = buffer.room(24);
    buffer.advance(static_cast<std::size_t>(rapidjson::internal::i64toa(n, out) - out));
  }

  void unsigned_integer(std::uint64_t n) {
    begin_value();
    char* out = buffer.room(24);
    buffer.advance(static_cast<std::size_t>(rapidjson::internal::u64toa(n, out) - out));
  }

  void number(double d) {
    if (!std::isfinite(d)) {
      literal("null");
      return;
    }
    begin_value();
    char* out = buffer.room(32);
    char* end = put_millionths(out, d);
    if (end == nullptr)
      end = rapidjson::internal::dtoa(d, out);
    buffer.advance(static_cast<std::size_t>(end - out));
  }

  void literal(std::string_view word) {
    begin_value();
    buffer.put(word);
  }

  void write(const Value& value) {
    switch (value.kind()) {
      case Kind::null:
        literal("null");
        return;
      case Kind::boolean:
        literal(*value.if_bool() ? "true" : "false");
        return;
      case Kind::integer:
        integer(*value.if_integer());
        return;
      case Kind::number:
        number(*value.if_double());
        return;
      case Kind::string:
        string(*value.if_string());
        return;
      case Kind::array:
        open('[');
        for (const Value& element : *value.if_array())
          write(element);
        close(']');
        return;
      case Kind::object:
        open('{');
        for (const auto& [name, member] : *value.if_object()) {
          key(name);
          write(member);
        }
        close('}');
        return;
    }
  }

  void reset() noexcept {
    buffer.clear();
    after_value = false;
#ifndef NDEBUG
    open_containers.clear();
    key_written = false;
#endif
  }

  // In an object a value must follow a key; at the top there is one value.
  void check_value() {
#ifndef NDEBUG
    if (open_containers.empty()) {
      assert(!after_value);
    } else if (open_containers.back() == '{') {
      assert(key_written);
      key_written = false;
    }
#endif
  }

  Buffer buffer;
  bool after_value = false;
#ifndef NDEBUG
  std::string open_containers;
  bool key_written = false;
#endif
};

Writer::Writer(std::size_t reserve_bytes) : impl_(std::make_unique<Impl>(reserve_bytes)) {}
Writer::~Writer() = default;
Writer::Writer(Writer&&) noexcept = default;
Writer& Writer::operator=(Writer&&) noexcept = default;

Writer& Writer::begin_object() {
  impl_->open('{');
  return *this;
}

Writer& Writer::end_object() {
  impl_->close('}');
  return *this;
}

Writer& Writer::begin_array() {
  impl_->open('[');
  return *this;
}

Writer& Writer::end_array() {
  impl_->close(']');
  return *this;
}

Writer& Writer::key(std::string_view name) {
  impl_->key(name);
  return *this;
}

Writer& Writer::key(const KeyText& key) {
  impl_->key(key);
  return *this;
}

Writer& Writer::string(std::string_view text) {
  impl_->string(text);
  return *this;
}

Writer& Writer::integer(std::int64_t n) {
  impl_->integer(n);
  return *this;
}

Writer& Writer::unsigned_integer(std::uint64_t n) {
  impl_->unsigned_integer(n);
  return *this;
}

Writer& Writer::number(double d) {
  impl_->number(d);
  return *this;
}

Writer& Writer::boolean(bool b) {
  impl_->literal(b ? "true" : "false");
  return *this;
}

Writer& Writer::null() {
  impl_->literal("null");
  return *this;
}

Writer& Writer::value(const Value& v) {
  impl_->write(v);
  return *this;
}

std::string_view Writer::view() const noexcept {
  return impl_->buffer.view();
}

std::size_t Writer::capacity() const noexcept {
  return impl_->buffer.capacity();
}

std::string Writer::take() {
  std::string text(view());
  clear();
  return text;
}

void Writer::clear() noexcept {
  impl_->reset();
}

std::string dump(const Value& value) {
  detail::ScratchWriter scratch;
  scratch.get().value(value);
  return scratch.get().take();
}

}  // namespace opsgraph::json
