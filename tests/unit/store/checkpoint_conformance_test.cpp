// Conformance: the Checkpointer side of every store.
#include <string>
#include <vector>

#include "store_conformance.hpp"

namespace opsgraph::store::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

Checkpoint checkpoint(const std::string& run, std::uint64_t step) {
  return Checkpoint{run, step, "diagnostic",
                    R"({"step":)" + std::to_string(step) + R"(,"state":")" + run + R"("})",
                    TimePoint{}};
}

std::vector<std::uint64_t> steps_of(const std::vector<Checkpoint>& checkpoints) {
  std::vector<std::uint64_t> steps;
  for (const auto& c : checkpoints)
    steps.push_back(c.step);
  return steps;
}

std::vector<std::uint64_t> range(std::uint64_t first, std::uint64_t last) {
  std::vector<std::uint64_t> steps;
  for (auto s = first; s <= last; ++s)
    steps.push_back(s);
  return steps;
}

TEST_P(StoreConformance, LatestIsTheHighestStep) {
  auto none = checkpoints().latest("run-1");
  ASSERT_TRUE(none) << none.error().message;
  EXPECT_FALSE(none.value().has_value());

  ASSERT_TRUE(checkpoints().put(checkpoint("run-1", 1)));
  clock_.advance(seconds{1});
  ASSERT_TRUE(checkpoints().put(checkpoint("run-1", 3)));  // steps may skip
  auto latest = checkpoints().latest("run-1");
  ASSERT_TRUE(latest) << latest.error().message;
  ASSERT_TRUE(latest.value().has_value());
  auto expected = checkpoint("run-1", 3);
  expected.created_at = clock_.now();
  EXPECT_EQ(*latest.value(), expected);
}

TEST_P(StoreConformance, ACheckpointKeepsTheTimeItWasGiven) {
  auto given = checkpoint("run-1", 1);
  given.created_at = TimePoint{milliseconds{1'600'000'000'123}};
  ASSERT_TRUE(checkpoints().put(given));
  EXPECT_EQ(checkpoints().latest("run-1").value(), given);
}

TEST_P(StoreConformance, PuttingAnExistingOrEarlierStepConflicts) {
  ASSERT_TRUE(checkpoints().put(checkpoint("run-1", 2)));
  auto same = checkpoint("run-1", 2);
  same.data = R"({"other":true})";
  EXPECT_TRUE(fails_with(checkpoints().put(same), errc::conflict));
  EXPECT_TRUE(fails_with(checkpoints().put(checkpoint("run-1", 1)), errc::conflict));
  EXPECT_EQ(checkpoints().latest("run-1").value()->data, checkpoint("run-1", 2).data);
  EXPECT_EQ(steps_of(checkpoints().history("run-1", 10).value()), range(2, 2));
  EXPECT_TRUE(checkpoints().put(checkpoint("run-1", 3)));
}

TEST_P(StoreConformance, PutRejectsBadCheckpoints) {
  EXPECT_TRUE(fails_with(checkpoints().put(checkpoint("run-1", 0)), errc::invalid_argument));
  EXPECT_TRUE(fails_with(checkpoints().put(checkpoint("", 1)), errc::invalid_argument));
  EXPECT_FALSE(checkpoints().latest("run-1").value().has_value());
}

TEST_P(StoreConformance, HistoryIsOldestFirstAndLimited) {
  for (std::uint64_t step = 1; step <= 5; ++step) {
    ASSERT_TRUE(checkpoints().put(checkpoint("run-1", step)));
  }
  EXPECT_EQ(steps_of(checkpoints().history("run-1", 3).value()), range(3, 5));
  auto all = checkpoints().history("run-1", 100);
  ASSERT_TRUE(all) << all.error().message;
  EXPECT_EQ(steps_of(all.value()), range(1, 5));
  EXPECT_EQ(all.value()[1].data, checkpoint("run-1", 2).data);
  EXPECT_TRUE(checkpoints().history("run-1", 0).value().empty());
  EXPECT_TRUE(checkpoints().history("run-2", 10).value().empty());
}

TEST_P(StoreConformance, HistoryKeepsTheEightNewestByDefault) {
  for (std::uint64_t step = 1; step <= 20; ++step) {
    ASSERT_TRUE(checkpoints().put(checkpoint("run-1", step)));
  }
  EXPECT_EQ(steps_of(checkpoints().history("run-1", 100).value()), range(13, 20));
  EXPECT_TRUE(fails_with(checkpoints().put(checkpoint("run-1", 5)), errc::conflict))
      << "a pruned step still cannot be written again";
}

TEST_P(StoreConformance, HistoryBoundIsAnOption) {
  auto small = open_another(BackendOptions{3});
  ASSERT_NE(small.checkpoints, nullptr);
  for (std::uint64_t step = 1; step <= 10; ++step) {
    ASSERT_TRUE(small.checkpoints->put(checkpoint("run-1", step)));
  }
  EXPECT_EQ(steps_of(small.checkpoints->history("run-1", 100).value()), range(8, 10));
}

TEST_P(StoreConformance, EraseRemovesOneRun) {
  for (std::uint64_t step = 1; step <= 3; ++step) {
    ASSERT_TRUE(checkpoints().put(checkpoint("run-1", step)));
    ASSERT_TRUE(checkpoints().put(checkpoint("run-2", step)));
  }
  ASSERT_TRUE(checkpoints().erase("run-1"));
  EXPECT_FALSE(checkpoints().latest("run-1").value().has_value());
  EXPECT_TRUE(checkpoints().history("run-1", 10).value().empty());
  EXPECT_EQ(steps_of(checkpoints().history("run-2", 10).value()), range(1, 3));
  EXPECT_TRUE(checkpoints().erase("run-404"));
  EXPECT_TRUE(checkpoints().put(checkpoint("run-1", 1))) << "an erased run starts over";
}

TEST_P(StoreConformance, EraseRunsRemovesEachRunGiven) {
  for (const char* run : {"run-1", "run-2", "run-3", "run-with \"quotes\", a comma"}) {
    for (std::uint64_t step = 1; step <= 3; ++step)
      ASSERT_TRUE(checkpoints().put(checkpoint(run, step)));
  }
  const std::vector<std::string> gone = {"run-1", "run-404", "run-with \"quotes\", a comma",
                                         "run-3"};
  auto erased = checkpoints().erase_runs(gone);
  ASSERT_TRUE(erased) << erased.error().message;
  for (const auto& run : gone)
    EXPECT_FALSE(checkpoints().latest(run).value().has_value()) << run;
  EXPECT_EQ(steps_of(checkpoints().history("run-2", 10).value()), range(1, 3));
  EXPECT_TRUE(checkpoints().erase_runs({}));
  EXPECT_EQ(steps_of(checkpoints().history("run-2", 10).value()), range(1, 3));
  EXPECT_TRUE(checkpoints().put(checkpoint("run-3", 1))) << "an erased run starts over";
}

}  // namespace
}  // namespace opsgraph::store::testing
