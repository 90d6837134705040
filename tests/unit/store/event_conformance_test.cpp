// Conformance: the append-only event log of each task.
#include <string>
#include <vector>

#include "store_conformance.hpp"

namespace opsgraph::store::testing {
namespace {

using std::chrono::seconds;

std::vector<std::uint64_t> seqs_of(const std::vector<TaskEvent>& events) {
  std::vector<std::uint64_t> seqs;
  for (const auto& event : events)
    seqs.push_back(event.seq);
  return seqs;
}

TEST_P(StoreConformance, EventsAreNumberedFromOnePerTask) {
  create_task("t1");
  create_task("t2");
  auto first = tasks().append_event("t1", "created", R"({"by":"alice"})");
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first.value().seq, 1u);
  EXPECT_EQ(first.value().task_id, "t1");
  EXPECT_EQ(first.value().type, "created");
  EXPECT_EQ(first.value().data, R"({"by":"alice"})");
  EXPECT_EQ(first.value().at, clock_.now());

  clock_.advance(seconds{2});
  EXPECT_EQ(tasks().append_event("t2", "created", "{}").value().seq, 1u);
  auto second = tasks().append_event("t1", "node_finished", R"({"node":"route"})");
  ASSERT_TRUE(second);
  EXPECT_EQ(second.value().seq, 2u);

  auto log = tasks().events("t1", 0, 100);
  ASSERT_TRUE(log) << log.error().message;
  ASSERT_EQ(log.value().size(), 2u);
  EXPECT_EQ(log.value()[0], first.value());
  EXPECT_EQ(log.value()[1], second.value());
  EXPECT_EQ(log.value()[1].at, clock_.now());
}

TEST_P(StoreConformance, EventsPageAfterASequenceNumber) {
  create_task("t1");
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(tasks().append_event("t1", "tick", std::to_string(i)));
  }
  EXPECT_EQ(seqs_of(tasks().events("t1", 0, 2).value()), (std::vector<std::uint64_t>{1, 2}));
  EXPECT_EQ(seqs_of(tasks().events("t1", 2, 2).value()), (std::vector<std::uint64_t>{3, 4}));
  EXPECT_EQ(seqs_of(tasks().events("t1", 4, 2).value()), (std::vector<std::uint64_t>{5}));
  EXPECT_TRUE(tasks().events("t1", 5, 2).value().empty());
  EXPECT_TRUE(tasks().events("t1", ~std::uint64_t{0}, 2).value().empty());
  EXPECT_EQ(tasks().events("t1", 3, 1).value().at(0).data, "3");
}

TEST_P(StoreConformance, EventErrors) {
  create_task("t1");
  EXPECT_TRUE(fails_with(tasks().append_event("t404", "tick", "{}"), errc::not_found));
  EXPECT_TRUE(fails_with(tasks().append_event("t1", "", "{}"), errc::invalid_argument));
  EXPECT_TRUE(fails_with(tasks().events("t404", 0, 10), errc::not_found));
  EXPECT_TRUE(fails_with(tasks().events("t1", 0, 0), errc::invalid_argument));
  EXPECT_TRUE(fails_with(tasks().events("t1", 0, kMaxEventPage + 1), errc::invalid_argument));
  auto empty = tasks().events("t1", 0, kMaxEventPage);
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty.value().empty());
  // A failed append leaves no gap.
  EXPECT_EQ(tasks().append_event("t1", "tick", "{}").value().seq, 1u);
}

}  // namespace
}  // namespace opsgraph::store::testing
