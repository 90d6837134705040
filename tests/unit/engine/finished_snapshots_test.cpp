// The engine's memory of finished tasks' JSON: by task and version, bounded, oldest out first.

#include "engine/finished_snapshots.hpp"

#include <gtest/gtest.h>

namespace opsgraph::engine::detail {
namespace {

std::shared_ptr<const std::string> text(const char* value) {
  return std::make_shared<const std::string>(value);
}

TEST(FinishedSnapshots, AnswersOnlyForTheVersionRemembered) {
  FinishedSnapshots snapshots(8);
  EXPECT_EQ(snapshots.find("a", 3), nullptr);
  snapshots.remember("a", 3, text("{\"v\":3}"));
  ASSERT_NE(snapshots.find("a", 3), nullptr);
  EXPECT_EQ(*snapshots.find("a", 3), "{\"v\":3}");
  EXPECT_EQ(snapshots.find("a", 4), nullptr) << "a retried task has moved on";
  snapshots.remember("a", 5, text("{\"v\":5}"));
  EXPECT_EQ(snapshots.find("a", 3), nullptr);
  EXPECT_EQ(*snapshots.find("a", 5), "{\"v\":5}");
}

TEST(FinishedSnapshots, ForgetsTheOldestBeyondItsCapacity) {
  FinishedSnapshots snapshots(2);
  snapshots.remember("a", 1, text("a"));
  snapshots.remember("b", 1, text("b"));
  snapshots.remember("a", 2, text("a2"));  // a newer version keeps its place
  snapshots.remember("c", 1, text("c"));
  EXPECT_EQ(snapshots.find("a", 2), nullptr);
  EXPECT_NE(snapshots.find("b", 1), nullptr);
  EXPECT_NE(snapshots.find("c", 1), nullptr);
}

TEST(FinishedSnapshots, ZeroCapacityRemembersNothing) {
  FinishedSnapshots snapshots(0);
  snapshots.remember("a", 1, text("a"));
  EXPECT_EQ(snapshots.find("a", 1), nullptr);
}

}  // namespace
}  // namespace opsgraph::engine::detail
