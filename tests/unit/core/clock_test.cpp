#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <opsgraph/core/clock.hpp>
#include <random>
#include <string>
#include <string_view>

namespace opsgraph {
namespace {

using namespace std::chrono_literals;
namespace chr = std::chrono;

TimePoint at(chr::year_month_day date, chr::milliseconds time_of_day = 0ms) {
  return TimePoint{chr::sys_days{date}.time_since_epoch() + time_of_day};
}

TimePoint parsed(std::string_view text) {
  auto r = parse_timestamp(text);
  EXPECT_TRUE(r.has_value()) << text << ": " << (r ? "" : r.error().message);
  return r ? r.value() : TimePoint{};
}

TEST(ClockTest, SystemClockIsOneObjectCloseToTheRealTime) {
  const Clock& a = Clock::system();
  const Clock& b = Clock::system();
  EXPECT_EQ(&a, &b);
  const auto before = chr::floor<chr::milliseconds>(SystemClock::now());
  const TimePoint now = a.now();
  const auto after = chr::floor<chr::milliseconds>(SystemClock::now());
  EXPECT_LE(before, now);
  EXPECT_LE(now, after);
}

TEST(ClockTest, ManualClockMovesOnlyWhenTold) {
  ManualClock clock(TimePoint{5000ms});
  EXPECT_EQ(clock.now(), TimePoint{5000ms});
  clock.advance(250ms);
  EXPECT_EQ(clock.now(), TimePoint{5250ms});
  clock.set(TimePoint{1ms});
  EXPECT_EQ(clock.now(), TimePoint{1ms});
}

TEST(FormatTimestampTest, WritesUtcWithThreeFractionDigits) {
  EXPECT_EQ(format_timestamp(TimePoint{}), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_timestamp(TimePoint{1'700'000'000'000ms}), "2023-11-14T22:13:20.000Z");
  EXPECT_EQ(format_timestamp(at(chr::year{2026} / 11 / 26, 10h + 4s + 120ms)),
            "2026-11-26T10:00:04.120Z");
  EXPECT_EQ(format_timestamp(TimePoint{7ms}), "1970-01-01T00:00:00.007Z");
}

TEST(FormatTimestampTest, FillsACallersBufferWithTheSameText) {
  std::array<char, kTimestampLength> text;
  text.fill('#');
  format_timestamp(at(chr::year{2026} / 11 / 26, 10h + 4s + 120ms), text);
  EXPECT_EQ(std::string_view(text.data(), text.size()), "2026-11-26T10:00:04.120Z");
}

TEST(FormatTimestampTest, HandlesTimesBeforeTheEpoch) {
  EXPECT_EQ(format_timestamp(TimePoint{-1ms}), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(format_timestamp(at(chr::year{1900} / 2 / 28, 23h + 59min)),
            "1900-02-28T23:59:00.000Z");
}

TEST(FormatTimestampTest, LeapDaysRollOverCorrectly) {
  EXPECT_EQ(format_timestamp(at(chr::year{2024} / 2 / 28) + chr::days{1}),
            "2024-02-29T00:00:00.000Z");
  EXPECT_EQ(format_timestamp(at(chr::year{2023} / 2 / 28) + chr::days{1}),
            "2023-03-01T00:00:00.000Z");
  EXPECT_EQ(format_timestamp(at(chr::year{2000} / 2 / 28) + chr::days{1}),
            "2000-02-29T00:00:00.000Z");
  EXPECT_EQ(format_timestamp(at(chr::year{2100} / 2 / 28) + chr::days{1}),
            "2100-03-01T00:00:00.000Z");
}

TEST(FormatTimestampTest, ClampsToFourDigitYears) {
  EXPECT_EQ(format_timestamp(TimePoint{chr::milliseconds{std::numeric_limits<int64_t>::max()}}),
            "9999-12-31T23:59:59.999Z");
  EXPECT_EQ(format_timestamp(TimePoint{chr::milliseconds{std::numeric_limits<int64_t>::min()}}),
            "0000-01-01T00:00:00.000Z");
}

TEST(ParseTimestampTest, RoundTripsWhatFormatWrites) {
  std::mt19937_64 rng(12345);
  const std::int64_t last = (at(chr::year{9999} / 12 / 31) + 24h - 1ms).time_since_epoch().count();
  const std::int64_t first = at(chr::year{0} / 1 / 1).time_since_epoch().count();
  std::uniform_int_distribution<std::int64_t> any_ms(first, last);
  for (int i = 0; i < 20'000; ++i) {
    const TimePoint t{chr::milliseconds{any_ms(rng)}};
    const std::string text = format_timestamp(t);
    ASSERT_EQ(parsed(text), t) << text;
  }
  for (const TimePoint t :
       {TimePoint{}, TimePoint{chr::milliseconds{first}}, TimePoint{chr::milliseconds{last}}}) {
    EXPECT_EQ(parsed(format_timestamp(t)), t);
  }
}

TEST(ParseTimestampTest, AcceptsAnyFractionLengthAndTruncatesToMilliseconds) {
  const TimePoint base = at(chr::year{2026} / 11 / 26, 10h + 4s);
  EXPECT_EQ(parsed("2026-11-26T10:00:04Z"), base);
  EXPECT_EQ(parsed("2026-11-26T10:00:04.1Z"), base + 100ms);
  EXPECT_EQ(parsed("2026-11-26T10:00:04.12Z"), base + 120ms);
  EXPECT_EQ(parsed("2026-11-26T10:00:04.120Z"), base + 120ms);
  EXPECT_EQ(parsed("2026-11-26T10:00:04.1209Z"), base + 120ms);
  EXPECT_EQ(parsed("2026-11-26T10:00:04.999999999Z"), base + 999ms);
  EXPECT_EQ(parsed("2026-11-26T10:00:04.000000001Z"), base);
}

TEST(ParseTimestampTest, AppliesNumericOffsets) {
  const TimePoint utc = at(chr::year{2026} / 11 / 26, 10h);
  EXPECT_EQ(parsed("2026-11-26T12:00:00+02:00"), utc);
  EXPECT_EQ(parsed("2026-11-26T04:30:00-05:30"), utc);
  EXPECT_EQ(parsed("2026-11-26T10:00:00+00:00"), utc);
  EXPECT_EQ(parsed("2026-11-26T10:00:00-00:00"), utc);
  EXPECT_EQ(parsed("2026-11-26T10:00:00.250+01:00"), utc - 1h + 250ms);
  // Offsets that move the instant across a day, a month and a leap day.
  EXPECT_EQ(parsed("2024-03-01T01:00:00+03:00"), at(chr::year{2024} / 2 / 29, 22h));
  EXPECT_EQ(parsed("2026-12-31T23:00:00-01:00"), at(chr::year{2027} / 1 / 1));
  EXPECT_EQ(parsed("2026-11-26T00:00:00+23:59"), at(chr::year{2026} / 11 / 25, 1min));
}

TEST(ParseTimestampTest, AcceptsLowercaseSeparatorsAsRfc3339Allows) {
  EXPECT_EQ(parsed("2026-11-26t10:00:00z"), at(chr::year{2026} / 11 / 26, 10h));
}

TEST(ParseTimestampTest, ValidatesLeapDays) {
  EXPECT_EQ(parsed("2024-02-29T00:00:00Z"), at(chr::year{2024} / 2 / 29));
  EXPECT_EQ(parsed("2000-02-29T00:00:00Z"), at(chr::year{2000} / 2 / 29));
  EXPECT_FALSE(parse_timestamp("2023-02-29T00:00:00Z"));
  EXPECT_FALSE(parse_timestamp("1900-02-29T00:00:00Z"));
  EXPECT_FALSE(parse_timestamp("2024-02-30T00:00:00Z"));
}

class BadTimestampTest : public ::testing::TestWithParam<std::string> {};

TEST_P(BadTimestampTest, IsInvalidArgumentNamingTheText) {
  const std::string& text = GetParam();
  auto r = parse_timestamp(text);
  ASSERT_FALSE(r.has_value()) << "accepted " << text;
  EXPECT_EQ(r.error().code, errc::invalid_argument);
  EXPECT_NE(r.error().message.find('"' + text + '"'), std::string::npos) << r.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    Inputs, BadTimestampTest,
    ::testing::Values("", "now", "2026-11-26", "2026-11-26T10:00:04", "2026-11-26T10:00Z",
                      "2026-11-26 10:00:04Z", " 2026-11-26T10:00:04Z", "2026-11-26T10:00:04Z ",
                      "2026-11-26T10:00:04.Z", "2026-11-26T10:00:04.1234567890Z",
                      "2026-11-26T10:00:04,120Z", "2026-00-10T10:00:04Z", "2026-13-10T10:00:04Z",
                      "2026-11-00T10:00:04Z", "2026-11-31T10:00:04Z", "2026-11-26T24:00:00Z",
                      "2026-11-26T10:60:00Z", "2026-11-26T10:00:60Z", "2026-11-26T10:00:04+2:00",
                      "2026-11-26T10:00:04+0200", "2026-11-26T10:00:04+24:00",
                      "2026-11-26T10:00:04+02:60", "2026-11-26T10:00:04+02", "26-11-26T10:00:04Z",
                      "+2026-11-26T10:00:04Z", "2026-1-26T10:00:04Z", "2026-11-26T10:00:04ZZ",
                      "2026-11-26T10:00:04.12a0Z", std::string("2026-11-26T10:00:04\0Z", 21)));

TEST(ParseTimestampTest, ShortensHugeInputsInTheMessage) {
  const std::string junk(100'000, 'x');
  auto r = parse_timestamp(junk);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::invalid_argument);
  EXPECT_LT(r.error().message.size(), 200U);
  EXPECT_NE(r.error().message.find("xxxx..."), std::string::npos);
}

}  // namespace
}  // namespace opsgraph
