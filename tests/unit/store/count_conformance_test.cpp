// Conformance: count_tasks(), the tasks per status and the queue depth that metrics read.
#include <atomic>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "store_conformance.hpp"

namespace opsgraph::store::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using Statuses = std::map<std::string, std::uint64_t>;

// count_tasks() of `store`, asserting success (empty counts on failure).
TaskCounts counts_of(TaskStore& store) {
  auto counts = store.count_tasks();
  EXPECT_TRUE(counts) << (counts ? "" : counts.error().message);
  return counts ? counts.value() : TaskCounts{};
}

TEST_P(StoreConformance, AnEmptyStoreCountsNothing) {
  auto counts = tasks().count_tasks();
  ASSERT_TRUE(counts) << counts.error().message;
  EXPECT_TRUE(counts.value().by_status.empty());
  EXPECT_EQ(counts.value().queued_unclaimed, 0u);
}

TEST_P(StoreConformance, CountsTasksPerStatusAndTheRunnableOnesAsQueued) {
  create_task("q1", "queued");
  create_task("q2", "queued", "bob");
  clock_.advance(seconds{1});
  create_task("r1", "running");
  auto done = new_task("d1", "completed");
  done.runnable = false;
  ASSERT_TRUE(tasks().create(done));
  auto parked = new_task("p1", "queued");
  parked.runnable = false;
  ASSERT_TRUE(tasks().create(parked));

  auto counts = counts_of(tasks());
  EXPECT_EQ(counts.by_status, (Statuses{{"completed", 1}, {"queued", 3}, {"running", 1}}));
  EXPECT_EQ(counts.queued_unclaimed, 3u)
      << "runnable decides, not the status: q1, q2 and r1, not p1 nor d1";
}

TEST_P(StoreConformance, AClaimedTaskLeavesTheQueueUntilItsLeaseExpires) {
  create_task("t1");
  create_task("t2");
  auto held = tasks().claim("worker-1", seconds{30}).value();
  ASSERT_TRUE(held.has_value());
  auto counts = counts_of(tasks());
  EXPECT_EQ(counts.by_status, (Statuses{{"queued", 2}})) << "a claim does not change the status";
  EXPECT_EQ(counts.queued_unclaimed, 1u);

  clock_.advance(seconds{30} - milliseconds{1});
  EXPECT_EQ(counts_of(tasks()).queued_unclaimed, 1u) << "the lease is live for 1 ms more";
  clock_.advance(milliseconds{1});
  EXPECT_EQ(counts_of(tasks()).queued_unclaimed, 2u) << "an expired lease holds nothing";

  // The count is what claim() can take: two claims succeed, a third finds nothing.
  ASSERT_TRUE(tasks().claim("worker-2", seconds{30}).value().has_value());
  ASSERT_TRUE(tasks().claim("worker-2", seconds{30}).value().has_value());
  EXPECT_FALSE(tasks().claim("worker-2", seconds{30}).value().has_value());
  EXPECT_EQ(counts_of(tasks()).queued_unclaimed, 0u);
}

TEST_P(StoreConformance, RenewKeepsATaskOutOfTheQueueAndReleasePutsItBack) {
  create_task("t1");
  auto held = tasks().claim("worker-1", seconds{10}).value().value();
  clock_.advance(seconds{5});
  ASSERT_TRUE(tasks().renew("t1", held.lease->token, seconds{10}));
  clock_.advance(seconds{6});
  EXPECT_EQ(counts_of(tasks()).queued_unclaimed, 0u) << "renewed until 15 s, now 11 s";
  ASSERT_TRUE(tasks().release("t1", held.lease->token));
  EXPECT_EQ(counts_of(tasks()).queued_unclaimed, 1u);
}

TEST_P(StoreConformance, ANonRunnableTaskIsNeverQueued) {
  auto idle = new_task("idle", "waiting");
  idle.runnable = false;
  ASSERT_TRUE(tasks().create(idle));
  create_task("t1");
  auto held = tasks().claim("worker-1", seconds{10}).value().value();
  auto finished = held;
  finished.status = "completed";
  finished.runnable = false;
  ASSERT_TRUE(tasks().update(finished, held.version));
  clock_.advance(seconds{11});

  auto counts = counts_of(tasks());
  EXPECT_EQ(counts.by_status, (Statuses{{"completed", 1}, {"waiting", 1}}));
  EXPECT_EQ(counts.queued_unclaimed, 0u) << "t1's lease expired, but it is no longer runnable";
  EXPECT_FALSE(tasks().claim("worker-2", seconds{10}).value().has_value());
}

TEST_P(StoreConformance, CountsFollowUpdates) {
  auto t1 = create_task("t1");
  auto t2 = create_task("t2");

  t1.status = "running";
  t1 = tasks().update(t1, t1.version).value();
  auto counts = counts_of(tasks());
  EXPECT_EQ(counts.by_status, (Statuses{{"queued", 1}, {"running", 1}}));
  EXPECT_EQ(counts.queued_unclaimed, 2u);

  t2.status = "completed";
  t2.runnable = false;
  const NewEvent finished{"finished", "{}"};
  t2 = tasks().update_with_events(t2, t2.version, {&finished, 1}).value().record;
  counts = counts_of(tasks());
  EXPECT_EQ(counts.by_status, (Statuses{{"completed", 1}, {"running", 1}}))
      << "a status no task has any more is absent";
  EXPECT_EQ(counts.queued_unclaimed, 1u);

  auto stale = t1;
  stale.status = "failed";
  EXPECT_TRUE(fails_with(tasks().update(stale, t1.version - 1), errc::conflict));
  EXPECT_EQ(counts_of(tasks()), counts) << "a lost compare-and-swap changes nothing";

  t1.status = "completed";
  t1.runnable = false;
  t1 = tasks().update(t1, t1.version).value();
  t2.status = "queued";
  t2.runnable = true;
  t2 = tasks().update(t2, t2.version).value();
  counts = counts_of(tasks());
  EXPECT_EQ(counts.by_status, (Statuses{{"completed", 1}, {"queued", 1}}));
  EXPECT_EQ(counts.queued_unclaimed, 1u);
}

// One thread moves tasks between "queued" (runnable) and "done" (not runnable) while another
// counts, through a second store on the same data where the backend has one (another
// connection, as another process would have): every count must see each task once, and as many
// queued tasks as runnable ones, which two separate reads would not.
TEST_P(StoreConformance, CountsAreOneSnapshotWhileTasksMove) {
  constexpr int kTasks = 16;
  constexpr int kMoves = 200;
  for (int i = 0; i < kTasks; ++i)
    create_task("t" + std::to_string(i), "queued");
  auto other = GetParam().durable ? reopen() : StoreHandle{};
  TaskStore& counter = other.tasks ? *other.tasks : tasks();

  std::atomic<bool> moving{true};
  std::string writer_failure;
  std::thread writer([&] {
    for (int move = 0; move < kMoves && writer_failure.empty(); ++move) {
      auto current = tasks().get("t" + std::to_string(move % kTasks));
      if (!current) {
        writer_failure = current.error().message;
        break;
      }
      auto next = current.value();
      next.runnable = !next.runnable;
      next.status = next.runnable ? "queued" : "done";
      auto updated = tasks().update(next, current.value().version);
      if (!updated)
        writer_failure = updated.error().message;
    }
    moving = false;
  });

  int reads = 0;
  std::vector<std::string> inconsistent;
  do {
    auto counts = counter.count_tasks();
    if (!counts) {
      inconsistent.push_back("count_tasks failed: " + counts.error().message);
      break;
    }
    ++reads;
    const auto& by_status = counts.value().by_status;
    std::uint64_t total = 0;
    for (const auto& [status, count] : by_status)
      total += count;
    const auto queued = by_status.contains("queued") ? by_status.at("queued") : 0;
    if (total != std::uint64_t{kTasks} || queued != counts.value().queued_unclaimed) {
      inconsistent.push_back(std::to_string(total) + " tasks, " + std::to_string(queued) +
                             " with status queued, " +
                             std::to_string(counts.value().queued_unclaimed) + " runnable");
    }
  } while (moving);
  writer.join();

  EXPECT_EQ(writer_failure, "");
  EXPECT_TRUE(inconsistent.empty())
      << inconsistent.size() << " of " << reads
      << " reads disagree, the first: " << (inconsistent.empty() ? "" : inconsistent.front());
  // 200 moves over 16 tasks: t0..t7 moved 13 times, t8..t15 12 times.
  auto final_counts = counts_of(counter);
  EXPECT_EQ(final_counts.by_status,
            (Statuses{{"done", std::uint64_t{kTasks / 2}}, {"queued", std::uint64_t{kTasks / 2}}}));
  EXPECT_EQ(final_counts.queued_unclaimed, std::uint64_t{kTasks / 2});
  RecordProperty("reads", reads);
}

}  // namespace
}  // namespace opsgraph::store::testing
