// UUIDv7 layout (RFC 9562 §5.7), most significant bit first:
//   unix_ts_ms:48 | ver:4 = 0111 | rand_a:12 | var:2 = 10 | rand_b:62
// rand_a and the top 30 bits of rand_b hold a 42-bit counter; the low 32 bits of rand_b are fresh
// random bits per id.

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <opsgraph/core/id.hpp>
#include <random>

namespace opsgraph {
namespace {

constexpr int kCounterBits = 42;
constexpr int kCounterLowBits = 30;  // the part of the counter that lives in rand_b
constexpr std::uint64_t kCounterMax = (std::uint64_t{1} << kCounterBits) - 1;
// A new millisecond seeds the counter with its top bit clear, so at least 2^41 ids fit in one
// millisecond before the counter has to borrow the next one (RFC 9562 §6.2, rollover guard).
constexpr std::uint64_t kCounterSeedMask = kCounterMax >> 1;
constexpr std::int64_t kMaxUnixMs = (std::int64_t{1} << 48) - 1;
constexpr std::size_t kUuidLength = 36;
constexpr std::array<std::size_t, 4> kDashes{8, 13, 18, 23};
constexpr char kHex[] = "0123456789abcdef";

std::mt19937_64 seeded_engine(const void* salt) {
  std::array<std::uint32_t, 8> words{};
  try {
    std::random_device device;
    std::generate(words.begin(), words.end(), [&device] { return device(); });
  } catch (...) {
    // No entropy source: ids stay unique per generator (the counter), and time and address keep
    // two generators from sharing a sequence.
    const auto ticks = std::chrono::steady_clock::now().time_since_epoch().count();
    words[0] = static_cast<std::uint32_t>(ticks);
    words[1] = static_cast<std::uint32_t>(static_cast<std::uint64_t>(ticks) >> 32);
    words[2] = static_cast<std::uint32_t>(reinterpret_cast<std::uintptr_t>(salt));
  }
  std::seed_seq seq(words.begin(), words.end());
  return std::mt19937_64(seq);
}

void append_hex(std::string& out, std::uint64_t bits, int nibbles) {
  for (int shift = (nibbles - 1) * 4; shift >= 0; shift -= 4) {
    out += kHex[(bits >> shift) & 0xf];
  }
}

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  return -1;
}

}  // namespace

struct IdGenerator::State {
  explicit State(const Clock& c) : clock(c), engine(seeded_engine(this)) {}

  const Clock& clock;
  std::mutex mutex;
  std::mt19937_64 engine;
  std::int64_t last_ms = -1;
  std::uint64_t counter = 0;
};

IdGenerator::IdGenerator(const Clock& clock) : state_(std::make_unique<State>(clock)) {}

IdGenerator::~IdGenerator() = default;

std::string IdGenerator::next() {
  std::int64_t ms = 0;
  std::uint64_t counter = 0;
  std::uint64_t tail = 0;
  {
    const std::lock_guard lock(state_->mutex);
    State& s = *state_;
    const std::int64_t now =
        std::clamp<std::int64_t>(s.clock.now().time_since_epoch().count(), 0, kMaxUnixMs);
    // A clock that stands still or steps back keeps the last millisecond and counts on.
    if (now > s.last_ms) {
      s.last_ms = now;
      s.counter = s.engine() & kCounterSeedMask;
    } else if (++s.counter > kCounterMax) {
      s.last_ms = std::min(s.last_ms + 1, kMaxUnixMs);
      s.counter = s.engine() & kCounterSeedMask;
    }
    ms = s.last_ms;
    counter = s.counter;
    tail = s.engine() & 0xffff'ffffU;
  }

  const std::uint64_t high = (static_cast<std::uint64_t>(ms) << 16) | (std::uint64_t{0x7} << 12) |
                             (counter >> kCounterLowBits);
  const std::uint64_t low = (std::uint64_t{0b10} << 62) |
                            ((counter & ((std::uint64_t{1} << kCounterLowBits) - 1)) << 32) | tail;
  std::string out;
  out.reserve(kUuidLength);
  append_hex(out, high >> 32, 8);
  out += '-';
  append_hex(out, high >> 16, 4);
  out += '-';
  append_hex(out, high, 4);
  out += '-';
  append_hex(out, low >> 48, 4);
  out += '-';
  append_hex(out, low, 12);
  return out;
}

bool is_uuid(std::string_view text) noexcept {
  if (text.size() != kUuidLength) {
    return false;
  }
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool dash_here = std::find(kDashes.begin(), kDashes.end(), i) != kDashes.end();
    if (dash_here ? text[i] != '-' : hex_value(text[i]) < 0) {
      return false;
    }
  }
  return true;
}

result<TimePoint> uuid_v7_time(std::string_view text) {
  if (!is_uuid(text)) {
    return fail(errc::invalid_argument,
                "not a canonical UUID: \"" + std::string(text.substr(0, 64)) + "\"");
  }
  const bool v7 = text[14] == '7';
  const bool rfc_variant = text[19] == '8' || text[19] == '9' || text[19] == 'a' || text[19] == 'b';
  if (!v7 || !rfc_variant) {
    return fail(errc::invalid_argument, "not a UUIDv7: \"" + std::string(text) + "\"");
  }
  std::int64_t ms = 0;
  for (char c : text.substr(0, 13)) {
    if (c != '-') {
      ms = ms * 16 + hex_value(c);
    }
  }
  return TimePoint{std::chrono::milliseconds{ms}};
}

}  // namespace opsgraph
