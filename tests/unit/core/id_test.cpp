#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <opsgraph/core/id.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace opsgraph {
namespace {

using namespace std::chrono_literals;

// The 128 bits of a canonical UUID, read back independently of the generator's own code.
struct Bits {
  std::uint64_t high = 0;
  std::uint64_t low = 0;
};

Bits bits_of(const std::string& id) {
  std::string hex;
  for (char c : id) {
    if (c != '-') {
      hex += c;
    }
  }
  EXPECT_EQ(hex.size(), 32U) << id;
  return Bits{std::stoull(hex.substr(0, 16), nullptr, 16),
              std::stoull(hex.substr(16, 16), nullptr, 16)};
}

TEST(IdGeneratorTest, WritesCanonicalLowercaseUuids) {
  IdGenerator ids;
  for (int i = 0; i < 1000; ++i) {
    const std::string id = ids.next();
    ASSERT_EQ(id.size(), 36U);
    for (std::size_t k = 0; k < id.size(); ++k) {
      if (k == 8 || k == 13 || k == 18 || k == 23) {
        ASSERT_EQ(id[k], '-') << id;
      } else {
        ASSERT_TRUE((id[k] >= '0' && id[k] <= '9') || (id[k] >= 'a' && id[k] <= 'f')) << id;
      }
    }
    ASSERT_TRUE(is_uuid(id)) << id;
  }
}

TEST(IdGeneratorTest, SetsVersionSevenAndTheRfcVariant) {
  ManualClock clock;
  IdGenerator ids(clock);
  for (int i = 0; i < 1000; ++i) {
    const Bits b = bits_of(ids.next());
    ASSERT_EQ((b.high >> 12) & 0xf, 0x7U);
    ASSERT_EQ(b.low >> 62, 0b10U);
  }
}

TEST(IdGeneratorTest, StoresTheClockMillisecondsFirst) {
  ManualClock clock(TimePoint{1'764'151'204'120ms});
  IdGenerator ids(clock);
  const std::string id = ids.next();
  EXPECT_EQ(bits_of(id).high >> 16, 1'764'151'204'120U);
  auto t = uuid_v7_time(id);
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(t.value(), clock.now());

  clock.advance(86'400'000ms);
  auto later = uuid_v7_time(ids.next());
  ASSERT_TRUE(later);
  EXPECT_EQ(later.value(), clock.now());
}

TEST(IdGeneratorTest, TimeOfTheSystemClockIsNow) {
  IdGenerator ids;
  const TimePoint before = Clock::system().now();
  auto t = uuid_v7_time(ids.next());
  const TimePoint after = Clock::system().now();
  ASSERT_TRUE(t);
  EXPECT_LE(before, t.value());
  EXPECT_LE(t.value(), after);
}

TEST(IdGeneratorTest, StaysIncreasingWhenTheClockStandsStill) {
  ManualClock clock;
  IdGenerator ids(clock);
  std::string previous = ids.next();
  for (int i = 0; i < 50'000; ++i) {
    std::string id = ids.next();
    ASSERT_LT(previous, id);
    previous = std::move(id);
  }
  auto t = uuid_v7_time(previous);
  ASSERT_TRUE(t);
  EXPECT_EQ(t.value(), clock.now());
}

TEST(IdGeneratorTest, StaysIncreasingWhenTheClockStepsBack) {
  ManualClock clock;
  IdGenerator ids(clock);
  const std::string first = ids.next();
  clock.advance(-5000ms);
  const std::string second = ids.next();
  EXPECT_LT(first, second);
  // It keeps the later millisecond rather than going back in time.
  EXPECT_EQ(uuid_v7_time(second).value(), uuid_v7_time(first).value());
  clock.advance(10'000ms);
  const std::string third = ids.next();
  EXPECT_LT(second, third);
  EXPECT_EQ(uuid_v7_time(third).value(), clock.now());
}

TEST(IdGeneratorTest, RandomPartsDifferBetweenGenerators) {
  ManualClock clock;
  IdGenerator a(clock);
  IdGenerator b(clock);
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    ASSERT_TRUE(seen.insert(a.next()).second);
    ASSERT_TRUE(seen.insert(b.next()).second);
  }
}

TEST(IdGeneratorTest, HundredThousandIdsFromFourThreadsAreUniqueAndOrderedPerThread) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 25'000;
  IdGenerator ids;
  std::vector<std::vector<std::string>> made(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&ids, &out = made[t]] {
      out.reserve(kPerThread);
      for (int i = 0; i < kPerThread; ++i) {
        out.push_back(ids.next());
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }

  std::vector<std::string> merged;
  for (const auto& per_thread : made) {
    // Each thread saw strictly increasing ids: later calls always sort later.
    ASSERT_TRUE(std::adjacent_find(per_thread.begin(), per_thread.end(), std::greater_equal<>()) ==
                per_thread.end());
    merged.insert(merged.end(), per_thread.begin(), per_thread.end());
  }
  std::sort(merged.begin(), merged.end());
  EXPECT_EQ(merged.size(), static_cast<std::size_t>(kThreads * kPerThread));
  EXPECT_TRUE(std::adjacent_find(merged.begin(), merged.end()) == merged.end()) << "duplicate ids";
}

TEST(IsUuidTest, AcceptsOnlyTheCanonicalForm) {
  EXPECT_TRUE(is_uuid("0193a5f2-7c1e-7a3b-9f2d-4c6e8a1b3d5f"));
  EXPECT_TRUE(is_uuid("00000000-0000-0000-0000-000000000000"));
  EXPECT_TRUE(is_uuid("123e4567-e89b-42d3-a456-426614174000"));  // v4 is still a UUID
  EXPECT_FALSE(is_uuid(""));
  EXPECT_FALSE(is_uuid("0193A5F2-7C1E-7A3B-9F2D-4C6E8A1B3D5F"));
  EXPECT_FALSE(is_uuid("0193a5f27c1e7a3b9f2d4c6e8a1b3d5f"));
  EXPECT_FALSE(is_uuid("{0193a5f2-7c1e-7a3b-9f2d-4c6e8a1b3d5f}"));
  EXPECT_FALSE(is_uuid("0193a5f2-7c1e-7a3b-9f2d-4c6e8a1b3d5"));
  EXPECT_FALSE(is_uuid("0193a5f2-7c1e-7a3b-9f2d-4c6e8a1b3d5f0"));
  EXPECT_FALSE(is_uuid("0193a5f2-7c1e-7a3b-9f2d+4c6e8a1b3d5f"));
  EXPECT_FALSE(is_uuid("0193a5f2-7c1e-7a3b-9f2d-4c6e8a1b3d5g"));
  EXPECT_FALSE(is_uuid("0193a5f-27c1e-7a3b-9f2d-4c6e8a1b3d5f"));
}

TEST(UuidV7TimeTest, RejectsOtherVersionsVariantsAndJunk) {
  for (const char* text : {"123e4567-e89b-42d3-a456-426614174000",  // version 4
                           "0193a5f2-7c1e-7a3b-cf2d-4c6e8a1b3d5f",  // variant 110
                           "0193a5f2-7c1e-7a3b-7f2d-4c6e8a1b3d5f",  // variant 0
                           "0193A5F2-7C1E-7A3B-9F2D-4C6E8A1B3D5F",  // uppercase
                           "not a uuid"}) {
    auto r = uuid_v7_time(text);
    ASSERT_FALSE(r) << text;
    EXPECT_EQ(r.error().code, errc::invalid_argument);
    EXPECT_NE(r.error().message.find(text), std::string::npos) << r.error().message;
  }
}

TEST(UuidV7TimeTest, ReadsTheTimestampOfAHandWrittenId) {
  // 0x0193a5f27c1e ms = 1733655952414.
  auto t = uuid_v7_time("0193a5f2-7c1e-7a3b-9f2d-4c6e8a1b3d5f");
  ASSERT_TRUE(t);
  EXPECT_EQ(t.value().time_since_epoch().count(), 0x0193a5f27c1eLL);
  EXPECT_EQ(t.value().time_since_epoch().count(), 1'733'655'952'414LL);
}

}  // namespace
}  // namespace opsgraph
