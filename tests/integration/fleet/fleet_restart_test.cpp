// The PostgreSQL server restarted in the middle of a run (a private cluster, stopped and started
// again on the same port with scripts/start-postgres --down/--up): the workers reconnect and
// every task completes exactly once.

#include <signal.h>
#include <sys/wait.h>

#include <thread>

#include "fleet_fixture.hpp"
#include "unit/store/postgres_cluster.hpp"

namespace opsgraph::fleet {
namespace {

constexpr int kTasks = 60;
constexpr auto kOutage = 1s;

TEST_F(FleetTest, WorkersReconnectAfterTheDatabaseRestarts) {
  store::testing::PrivateCluster cluster;
  ASSERT_FALSE(cluster.dsn().empty());
  start_mock(100ms, 150ms);
  use_database(cluster.dsn());
  // Leases outlast the outage, as production leases (30 s) outlast a restart.
  const WorkerFlags flags{.max_tasks = 8, .lease_ttl_ms = 5000, .poll_ms = 100};
  std::vector<std::optional<WorkerProcess>> workers;
  for (const char* name : {"worker-a", "worker-b"}) {
    workers.push_back(start_worker(name, flags));
    ASSERT_TRUE(workers.back());
  }
  const auto ids = submit(kTasks);
  ASSERT_EQ(ids.size(), static_cast<std::size_t>(kTasks));

  // Restart the server once some tasks are done and the rest are queued or running.
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  std::size_t done_before = 0;
  while ((done_before = final_count(ids)) < 8 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(50ms);
  ASSERT_LT(done_before, ids.size()) << "the run ended before the restart";
  ASSERT_TRUE(cluster.down());
  std::this_thread::sleep_for(kOutage);
  ASSERT_TRUE(cluster.up());

  const auto tasks = wait_all(ids, 90s);
  ASSERT_EQ(tasks.size(), ids.size());
  for (const auto& [id, task] : tasks)
    expect_completed_once(task, /*planned=*/1);
  expect_none_lost(ids);
  RecordProperty("done_before_restart", static_cast<int>(done_before));

  for (auto& worker : workers) {
    worker->signal(SIGTERM);
    const auto status = worker->wait(30s);
    ASSERT_TRUE(status) << "a worker did not stop on SIGTERM";
    EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << *status;
  }
  // The front end goes before the cluster it is connected to.
  front_.reset();
}

}  // namespace
}  // namespace opsgraph::fleet
