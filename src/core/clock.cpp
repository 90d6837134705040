// The system clock and RFC 3339 timestamps. g++ 12 has neither std::format nor std::chrono::parse,
// so both directions are written by hand over <chrono>'s calendar types.

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <opsgraph/core/clock.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace opsgraph {
namespace {

namespace chr = std::chrono;

class RealClock final : public Clock {
 public:
  TimePoint now() const noexcept override {
    return chr::floor<chr::milliseconds>(SystemClock::now());
  }
};

// RFC 3339 has four-digit years only; format_timestamp clamps to this range.
constexpr auto kMinDays = chr::sys_days{chr::year{0} / chr::January / 1};
constexpr auto kMaxDays = chr::sys_days{chr::year{9999} / chr::December / 31};

// Writes `value` as `width` digits, zero-padded, and returns the position after them.
char* put_digits(char* out, std::int64_t value, int width) noexcept {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  return out + width;
}

// A strict left-to-right reader over the text being parsed; every accessor fails by returning
// false, and the caller turns that into one error naming the whole text.
class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}

  bool at_end() const noexcept { return pos_ == text_.size(); }

  bool digits(int count, int& value) noexcept {
    value = 0;
    for (int i = 0; i < count; ++i) {
      if (at_end() || !is_digit(text_[pos_])) {
        return false;
      }
      value = value * 10 + (text_[pos_++] - '0');
    }
    return true;
  }

  bool literal(char c) noexcept {
    if (at_end() || text_[pos_] != c) {
      return false;
    }
    ++pos_;
    return true;
  }

  // Either spelling of a letter RFC 3339 allows in both cases ('T', 'Z').
  bool letter(char upper) noexcept {
    return literal(upper) || literal(static_cast<char>(upper - 'A' + 'a'));
  }

  std::optional<char> peek() const noexcept {
    return at_end() ? std::nullopt : std::optional<char>(text_[pos_]);
  }

  // One to nine fraction digits, truncated to milliseconds.
  bool fraction_ms(int& ms) noexcept {
    int count = 0;
    ms = 0;
    while (!at_end() && is_digit(text_[pos_])) {
      if (++count > 9) {
        return false;
      }
      if (count <= 3) {
        ms = ms * 10 + (text_[pos_] - '0');
      }
      ++pos_;
    }
    for (int i = count; i < 3; ++i) {
      ms *= 10;
    }
    return count > 0;
  }

 private:
  static bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

  std::string_view text_;
  std::size_t pos_ = 0;
};

struct Fields {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, millis = 0;
  int offset_minutes = 0;
};

bool read_offset(Cursor& in, int& offset_minutes) {
  if (in.letter('Z')) {
    offset_minutes = 0;
    return true;
  }
  int sign = 0;
  if (in.literal('+')) {
    sign = 1;
  } else if (in.literal('-')) {
    sign = -1;
  } else {
    return false;
  }
  int hours = 0;
  int minutes = 0;
  if (!in.digits(2, hours) || !in.literal(':') || !in.digits(2, minutes) || hours > 23 ||
      minutes > 59) {
    return false;
  }
  offset_minutes = sign * (hours * 60 + minutes);
  return true;
}

bool read_fields(std::string_view text, Fields& f) {
  Cursor in(text);
  bool shape = in.digits(4, f.year) && in.literal('-') && in.digits(2, f.month) &&
               in.literal('-') && in.digits(2, f.day) && in.letter('T') && in.digits(2, f.hour) &&
               in.literal(':') && in.digits(2, f.minute) && in.literal(':') &&
               in.digits(2, f.second);
  if (!shape) {
    return false;
  }
  if (in.peek() == '.' && !(in.literal('.') && in.fraction_ms(f.millis))) {
    return false;
  }
  return read_offset(in, f.offset_minutes) && in.at_end();
}

// A quoted excerpt of the offending text, so a megabyte of garbage makes a short message.
std::string quoted(std::string_view text) {
  constexpr std::size_t kMaxShown = 64;
  std::string out = "\"";
  out.append(text.substr(0, kMaxShown));
  out += text.size() > kMaxShown ? "...\"" : "\"";
  return out;
}

}  // namespace

const Clock& Clock::system() noexcept {
  static const RealClock clock;
  return clock;
}

void format_timestamp(TimePoint t, std::span<char, kTimestampLength> out) noexcept {
  const TimePoint lowest{kMinDays.time_since_epoch()};
  const TimePoint highest =
      TimePoint{kMaxDays.time_since_epoch()} + chr::days{1} - chr::milliseconds{1};
  t = std::clamp(t, lowest, highest);

  const auto days = chr::floor<chr::days>(t);
  const chr::year_month_day date{days};
  const chr::hh_mm_ss<chr::milliseconds> time{t - days};

  char* at = out.data();
  at = put_digits(at, static_cast<int>(date.year()), 4);
  *at++ = '-';
  at = put_digits(at, static_cast<unsigned>(date.month()), 2);
  *at++ = '-';
  at = put_digits(at, static_cast<unsigned>(date.day()), 2);
  *at++ = 'T';
  at = put_digits(at, time.hours().count(), 2);
  *at++ = ':';
  at = put_digits(at, time.minutes().count(), 2);
  *at++ = ':';
  at = put_digits(at, time.seconds().count(), 2);
  *at++ = '.';
  at = put_digits(at, time.subseconds().count(), 3);
  *at = 'Z';
}

std::string format_timestamp(TimePoint t) {
  std::array<char, kTimestampLength> text;
  format_timestamp(t, text);
  return std::string(text.data(), text.size());
}

result<TimePoint> parse_timestamp(std::string_view text) {
  Fields f;
  if (!read_fields(text, f)) {
    return fail(errc::invalid_argument,
                "invalid timestamp " + quoted(text) +
                    ": expected RFC 3339, e.g. \"2026-11-26T10:00:04.120Z\"");
  }
  const chr::year_month_day date{chr::year{f.year}, chr::month{static_cast<unsigned>(f.month)},
                                 chr::day{static_cast<unsigned>(f.day)}};
  // Second 60 (a leap second) is rejected: system_clock has no way to represent it.
  if (!date.ok() || f.hour > 23 || f.minute > 59 || f.second > 59) {
    return fail(errc::invalid_argument,
                "invalid timestamp " + quoted(text) + ": date or time out of range");
  }
  const auto local = chr::sys_days{date} + chr::hours{f.hour} + chr::minutes{f.minute} +
                     chr::seconds{f.second} + chr::milliseconds{f.millis};
  return TimePoint{chr::floor<chr::milliseconds>(local - chr::minutes{f.offset_minutes})};
}

}  // namespace opsgraph
