// What the engine keeps by task and record version: bounded, oldest out first, and never
// answering for a version other than the one kept.

#include "engine/versioned_cache.hpp"

#include <gtest/gtest.h>

#include <string>

namespace opsgraph::engine::detail {
namespace {

TEST(VersionedCache, AnswersOnlyForTheVersionKept) {
  VersionedCache<std::string> cache(8);
  EXPECT_FALSE(cache.find("a", 3));
  cache.put("a", 3, "v3");
  ASSERT_TRUE(cache.find("a", 3));
  EXPECT_EQ(*cache.find("a", 3), "v3");
  EXPECT_FALSE(cache.find("a", 4)) << "a retried task has moved on";
  cache.put("a", 5, "v5");
  EXPECT_FALSE(cache.find("a", 3));
  EXPECT_EQ(*cache.find("a", 5), "v5");
}

TEST(VersionedCache, ForgetsTheOldestBeyondItsCapacity) {
  VersionedCache<std::string> cache(2);
  cache.put("a", 1, "a");
  cache.put("b", 1, "b");
  cache.put("a", 2, "a2");  // a newer version keeps its place
  cache.put("c", 1, "c");
  EXPECT_FALSE(cache.find("a", 2));
  EXPECT_TRUE(cache.find("b", 1));
  EXPECT_TRUE(cache.find("c", 1));
}

TEST(VersionedCache, ZeroCapacityKeepsNothing) {
  VersionedCache<std::string> cache(0);
  cache.put("a", 1, "a");
  EXPECT_FALSE(cache.find("a", 1));
}

TEST(VersionedCache, TakeHandsTheValueOverOnce) {
  VersionedCache<std::string> cache(4);
  cache.put("a", 2, "fresh");
  auto taken = cache.take("a", 2);
  ASSERT_TRUE(taken);
  EXPECT_EQ(*taken, "fresh");
  EXPECT_FALSE(cache.take("a", 2));
  EXPECT_FALSE(cache.find("a", 2));
}

TEST(VersionedCache, TakingAnotherVersionDropsTheStaleValue) {
  VersionedCache<std::string> cache(4);
  cache.put("a", 2, "fresh");
  EXPECT_FALSE(cache.take("a", 3)) << "the record changed after the value was kept";
  EXPECT_FALSE(cache.find("a", 2));
}

// Values taken leave their ids in the eviction order; those must not pile up, nor push out a
// value still waiting to be taken before its time.
TEST(VersionedCache, TakenValuesDoNotCrowdOutWaitingOnes) {
  VersionedCache<std::string> cache(4);
  cache.put("waiting", 1, "w");
  for (int i = 0; i < 1000; ++i) {
    const std::string id = "t" + std::to_string(i);
    cache.put(id, 1, "x");
    ASSERT_TRUE(cache.take(id, 1));
    if (i < 2) {
      EXPECT_TRUE(cache.find("waiting", 1)) << i;
    }
  }
  // Kept this long, with a thousand others come and gone, the waiting value has aged out: a
  // value nobody takes (its task claimed elsewhere) cannot stay for ever.
  EXPECT_FALSE(cache.find("waiting", 1));
  cache.put("late", 1, "l");
  EXPECT_TRUE(cache.find("late", 1));
}

}  // namespace
}  // namespace opsgraph::engine::detail
