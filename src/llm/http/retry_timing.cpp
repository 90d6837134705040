#include "llm/http/retry_timing.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>

namespace opsgraph::llm::http {
namespace {

using std::chrono::milliseconds;

/// A non-negative decimal number at the start of `text`; advances past it.
std::optional<double> take_number(std::string_view& text) {
  double value = 0;
  const auto [end, ec] =
      std::from_chars(text.data(), text.data() + text.size(), value, std::chars_format::fixed);
  if (ec != std::errc{} || !std::isfinite(value) || value < 0)
    return std::nullopt;
  text.remove_prefix(static_cast<std::size_t>(end - text.data()));
  return value;
}

std::optional<milliseconds> to_millis(double ms) {
  // Anything beyond a day is not a hint worth honouring as given; clamp rather than overflow.
  constexpr double kOneDayMs = 86'400'000.0;
  return milliseconds{static_cast<std::int64_t>(std::ceil(std::min(ms, kOneDayMs)))};
}

std::optional<int> take_digits(std::string_view& text, std::size_t count) {
  if (text.size() < count)
    return std::nullopt;
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + count, value);
  if (ec != std::errc{} || end != text.data() + count)
    return std::nullopt;
  text.remove_prefix(count);
  return value;
}

bool take_literal(std::string_view& text, std::string_view literal) {
  if (!text.starts_with(literal))
    return false;
  text.remove_prefix(literal.size());
  return true;
}

std::optional<unsigned> take_month(std::string_view& text) {
  constexpr std::array<std::string_view, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  for (unsigned i = 0; i < kMonths.size(); ++i) {
    if (take_literal(text, kMonths[i]))
      return i + 1;
  }
  return std::nullopt;
}

/// "Sun, 06 Nov 1994 08:49:37 GMT" (RFC 9110's IMF-fixdate, the form servers send).
std::optional<SystemClock::time_point> parse_http_date(std::string_view text) {
  const auto comma = text.find(", ");
  if (comma == std::string_view::npos)
    return std::nullopt;
  text.remove_prefix(comma + 2);
  const auto day = take_digits(text, 2);
  if (!day || !take_literal(text, " "))
    return std::nullopt;
  const auto month = take_month(text);
  if (!month || !take_literal(text, " "))
    return std::nullopt;
  const auto year = take_digits(text, 4);
  if (!year || !take_literal(text, " "))
    return std::nullopt;
  const auto hour = take_digits(text, 2);
  if (!hour || !take_literal(text, ":"))
    return std::nullopt;
  const auto minute = take_digits(text, 2);
  if (!minute || !take_literal(text, ":"))
    return std::nullopt;
  const auto second = take_digits(text, 2);
  if (!second || text != " GMT" || *hour > 23 || *minute > 59 || *second > 60)
    return std::nullopt;
  const std::chrono::year_month_day date{std::chrono::year{*year}, std::chrono::month{*month},
                                         std::chrono::day{static_cast<unsigned>(*day)}};
  if (!date.ok())
    return std::nullopt;
  return std::chrono::sys_days{date} + std::chrono::hours{*hour} + std::chrono::minutes{*minute} +
         std::chrono::seconds{*second};
}

std::optional<double> unit_in_ms(std::string_view& text) {
  // Longest units first, so "ms" is not read as "m" followed by garbage.
  constexpr std::array<std::pair<std::string_view, double>, 7> kUnits{{{"ms", 1.0},
                                                                       {"us", 1e-3},
                                                                       {"\xC2\xB5s", 1e-3},
                                                                       {"ns", 1e-6},
                                                                       {"h", 3'600'000.0},
                                                                       {"m", 60'000.0},
                                                                       {"s", 1'000.0}}};
  for (const auto& [unit, factor] : kUnits) {
    if (take_literal(text, unit))
      return factor;
  }
  return std::nullopt;
}

}  // namespace

std::optional<milliseconds> parse_retry_after(std::string_view value, SystemClock::time_point now) {
  if (value.empty())
    return std::nullopt;
  if (value.find_first_not_of("0123456789") == std::string_view::npos) {
    std::string_view rest = value;
    const auto seconds = take_number(rest);
    if (!seconds)
      return std::nullopt;
    return to_millis(*seconds * 1000.0);
  }
  const auto date = parse_http_date(value);
  if (!date)
    return std::nullopt;
  if (*date <= now)
    return milliseconds{0};
  return std::chrono::ceil<milliseconds>(*date - now);
}

std::optional<milliseconds> parse_reset_duration(std::string_view value) {
  if (value.empty())
    return std::nullopt;
  std::string_view rest = value;
  if (value.find_first_not_of("0123456789.") == std::string_view::npos) {
    const auto seconds = take_number(rest);
    if (!seconds || !rest.empty())
      return std::nullopt;
    return to_millis(*seconds * 1000.0);
  }
  double total_ms = 0;
  while (!rest.empty()) {
    const auto number = take_number(rest);
    const auto factor = number ? unit_in_ms(rest) : std::nullopt;
    if (!factor)
      return std::nullopt;
    total_ms += *number * *factor;
  }
  return to_millis(total_ms);
}

std::optional<milliseconds> server_retry_hint(const ResponseHeaders& headers,
                                              SystemClock::time_point now) {
  std::optional<milliseconds> longest;
  const auto consider = [&longest](std::optional<milliseconds> hint) {
    if (hint && (!longest || *hint > *longest))
      longest = hint;
  };
  if (auto v = headers.find("retry-after-ms")) {
    std::string_view rest = *v;
    if (auto ms = take_number(rest); ms && rest.empty())
      consider(to_millis(*ms));
  }
  if (auto v = headers.find("retry-after"))
    consider(parse_retry_after(*v, now));
  if (auto v = headers.find("x-ratelimit-reset-requests"))
    consider(parse_reset_duration(*v));
  if (auto v = headers.find("x-ratelimit-reset-tokens"))
    consider(parse_reset_duration(*v));
  return longest;
}

Backoff::Backoff(const OpenAIRetryPolicy& policy)
    : base_(policy.base_delay),
      cap_(policy.max_delay),
      random_(policy.jitter_seed ? *policy.jitter_seed : std::random_device{}()) {}

milliseconds Backoff::bound(int retry) const noexcept {
  const double exponential =
      static_cast<double>(base_.count()) * std::pow(2.0, std::max(0, retry - 1));
  // pow() overflows to inf far out; min() with the cap keeps the bound finite.
  return milliseconds{static_cast<std::int64_t>(
      std::max(0.0, std::min(static_cast<double>(cap_.count()), exponential)))};
}

milliseconds Backoff::next(int retry) {
  const auto limit = static_cast<std::uint64_t>(bound(retry).count());
  return milliseconds{static_cast<std::int64_t>(random_() % (limit + 1))};
}

}  // namespace opsgraph::llm::http
