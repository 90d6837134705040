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

TEST_P(StoreConformance, AnUpdateAndItsEventsAreStoredTogether) {
  create_task("t1");
  ASSERT_TRUE(tasks().append_event("t1", "created", "{}"));
  auto record = tasks().get("t1").value();
  record.status = "in_progress";
  record.body = R"({"step":"plan"})";
  clock_.advance(seconds{3});
  const std::vector<NewEvent> events{{"planned", R"({"steps":3})"}, {"status", "{}"}};
  auto updated = tasks().update_with_events(record, record.version, events);
  ASSERT_TRUE(updated) << updated.error().message;
  EXPECT_EQ(updated.value().record.version, record.version + 1);
  EXPECT_EQ(updated.value().record.status, "in_progress");
  EXPECT_EQ(updated.value().record.updated_at, clock_.now());
  ASSERT_EQ(updated.value().events.size(), 2u);
  EXPECT_EQ(updated.value().events[0].seq, 2u);
  EXPECT_EQ(updated.value().events[0].type, "planned");
  EXPECT_EQ(updated.value().events[0].data, R"({"steps":3})");
  EXPECT_EQ(updated.value().events[0].at, clock_.now());
  EXPECT_EQ(updated.value().events[1].seq, 3u);

  auto log = tasks().events("t1", 1, 10);
  ASSERT_TRUE(log);
  EXPECT_EQ(log.value(), updated.value().events);
  EXPECT_EQ(tasks().get("t1").value().body, R"({"step":"plan"})");

  // No events: a plain compare-and-swap.
  auto plain =
      tasks().update_with_events(updated.value().record, updated.value().record.version, {});
  ASSERT_TRUE(plain) << plain.error().message;
  EXPECT_TRUE(plain.value().events.empty());
  EXPECT_EQ(plain.value().record.version, record.version + 2);
}

TEST_P(StoreConformance, AFailedUpdateWithEventsStoresNothing) {
  create_task("t1");
  auto record = tasks().get("t1").value();
  const std::vector<NewEvent> events{{"status", "{}"}};
  EXPECT_TRUE(
      fails_with(tasks().update_with_events(record, record.version + 5, events), errc::conflict));
  const std::vector<NewEvent> unnamed{{"status", "{}"}, {"", "{}"}};
  record.status = "failed";
  EXPECT_TRUE(fails_with(tasks().update_with_events(record, record.version, unnamed),
                         errc::invalid_argument));
  record.id = "t404";
  EXPECT_TRUE(fails_with(tasks().update_with_events(record, 1, events), errc::not_found));

  auto stored = tasks().get("t1").value();
  EXPECT_EQ(stored.version, 1u);
  EXPECT_NE(stored.status, "failed");
  EXPECT_TRUE(tasks().events("t1", 0, 10).value().empty());
}

TEST_P(StoreConformance, ATaskIsCreatedWithItsFirstEvents) {
  clock_.advance(seconds{2});
  const std::vector<NewEvent> events{{"created", R"({"by":"alice"})"}, {"routed", "{}"}};
  auto created = tasks().create_with_events(new_task("t1"), events);
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_TRUE(created.value().created);
  EXPECT_EQ(created.value().record.version, 1u);
  ASSERT_EQ(created.value().events.size(), 2u);
  EXPECT_EQ(created.value().events[0].seq, 1u);
  EXPECT_EQ(created.value().events[0].task_id, "t1");
  EXPECT_EQ(created.value().events[0].type, "created");
  EXPECT_EQ(created.value().events[0].data, R"({"by":"alice"})");
  EXPECT_EQ(created.value().events[0].at, clock_.now());
  EXPECT_EQ(created.value().events[1].seq, 2u);
  EXPECT_EQ(tasks().events("t1", 0, 10).value(), created.value().events);
  EXPECT_EQ(tasks().append_event("t1", "status", "{}").value().seq, 3u);

  auto plain = tasks().create_with_events(new_task("t2"), {});
  ASSERT_TRUE(plain) << plain.error().message;
  EXPECT_TRUE(plain.value().events.empty());
  EXPECT_TRUE(tasks().events("t2", 0, 10).value().empty());
}

TEST_P(StoreConformance, CreatingWithEventsStoresNothingOnAnyError) {
  auto keyed = new_task("t1");
  keyed.idempotency_key = "request-1";
  const std::vector<NewEvent> events{{"created", "{}"}};
  ASSERT_TRUE(tasks().create_with_events(keyed, events));

  auto again = new_task("t2");
  again.idempotency_key = "request-1";
  auto repeated = tasks().create_with_events(again, events);
  ASSERT_TRUE(repeated) << repeated.error().message;
  EXPECT_FALSE(repeated.value().created);
  EXPECT_EQ(repeated.value().record.id, "t1");
  EXPECT_TRUE(repeated.value().events.empty()) << "a known key appends nothing";
  EXPECT_EQ(tasks().events("t1", 0, 10).value().size(), 1u);

  EXPECT_TRUE(fails_with(tasks().create_with_events(new_task("t1"), events), errc::conflict));
  EXPECT_EQ(tasks().events("t1", 0, 10).value().size(), 1u) << "the existing log is untouched";

  const std::vector<NewEvent> unnamed{{"created", "{}"}, {"", "{}"}};
  EXPECT_TRUE(
      fails_with(tasks().create_with_events(new_task("t3"), unnamed), errc::invalid_argument));
  EXPECT_TRUE(fails_with(tasks().get("t3"), errc::not_found));
}

}  // namespace
}  // namespace opsgraph::store::testing
