// Three workers on one database while one of them is killed with SIGKILL about every second and
// started again: every task still completes exactly once, nothing submitted is lost, and no step
// runs again after its checkpoint. (The issue asks for 2,000 tasks; kTasks keeps the test under a
// minute in the sanitizer build.)

#include <signal.h>
#include <sys/wait.h>

#include <thread>

#include "fleet_fixture.hpp"

namespace opsgraph::fleet {
namespace {

constexpr int kTasks = 300;
constexpr int kWorkers = 3;
constexpr auto kKillEvery = 1s;
// Long enough that a live worker keeps its leases on a loaded machine (two cores, sanitizers):
// a live worker that loses one races the next owner on the run's checkpoints, which the engine
// fences only by reading the lease just before each write (docs/operations.md, "Known limits").
constexpr int kLeaseTtlMs = 3000;

TEST_F(FleetTest, EveryTaskCompletesOnceWhileWorkersAreKilled) {
  start_mock(20ms, 50ms);
  use_database();
  const WorkerFlags flags{.max_tasks = 8, .lease_ttl_ms = kLeaseTtlMs, .poll_ms = 100};
  std::vector<std::optional<WorkerProcess>> workers;
  for (int i = 0; i < kWorkers; ++i) {
    workers.push_back(start_worker("worker-" + std::to_string(i), flags));
    ASSERT_TRUE(workers.back());
  }
  const auto ids = submit(kTasks);
  ASSERT_EQ(ids.size(), static_cast<std::size_t>(kTasks));

  int kills = 0;
  const auto deadline = std::chrono::steady_clock::now() + 120s;
  while (final_count(ids) < ids.size() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(kKillEvery);
    const int slot = kills % kWorkers;
    workers[slot]->signal(SIGKILL);
    ASSERT_TRUE(workers[slot]->wait(10s));
    ++kills;
    workers[slot] = start_worker("worker-" + std::to_string(slot), flags);
    ASSERT_TRUE(workers[slot]);
  }

  const auto tasks = wait_all(ids, 60s);
  ASSERT_EQ(tasks.size(), ids.size());
  for (const auto& [id, task] : tasks)
    expect_completed_once(task, /*planned=*/1);
  expect_none_lost(ids);
  EXPECT_GE(kills, 2) << "workers died while tasks were running";
  RecordProperty("kills", kills);
  RecordProperty("planner_calls", static_cast<int>(calls_to("planner")));
  std::cerr << "kills: " << kills << ", LLM calls: " << mock_->stats().total_requests << " for "
            << 4 * kTasks << " needed (steps in flight at a kill ran again)\n";

  for (auto& worker : workers) {
    worker->signal(SIGTERM);
    const auto status = worker->wait(30s);
    ASSERT_TRUE(status) << "a worker did not stop on SIGTERM";
    EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << *status;
  }
}

}  // namespace
}  // namespace opsgraph::fleet
