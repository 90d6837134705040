// A worker paused (SIGSTOP) in the middle of a model call for longer than its lease: another
// worker takes the task over, and when the paused one wakes (SIGCONT) with its answer in hand,
// its late writes are refused by the lease's fencing token. The task ends exactly once, with one
// plan recorded although the planner answered twice.

#include <signal.h>
#include <sys/wait.h>

#include <opsgraph/store/postgres_store.hpp>
#include <thread>

#include "fleet_fixture.hpp"

namespace opsgraph::fleet {
namespace {

// Who holds the task's lease now ("" when nobody does or the store cannot say).
std::string lease_holder(store::TaskStore& store, const std::string& id) {
  auto record = store.get(id);
  if (!record || !record.value().lease)
    return "";
  return record.value().lease->worker;
}

template <typename Condition>
bool eventually(Condition condition, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() >= deadline)
      return false;
    std::this_thread::sleep_for(10ms);
  }
  return true;
}

TEST_F(FleetTest, APausedWorkersLateWritesAreRefused) {
  // Every answer takes 300 ms: long enough to stop the first worker while it waits for one.
  start_mock(300ms, 300ms);
  use_database();
  store::PostgresOptions store_options;
  store_options.schema = schema_;
  auto opened = store::PostgresStore::open(dsn_, store_options);
  ASSERT_TRUE(opened) << opened.error().message;
  auto& store = *opened.value();

  const WorkerFlags flags{.max_tasks = 4, .lease_ttl_ms = 500, .poll_ms = 50};
  auto paused = start_worker("paused", flags);
  ASSERT_TRUE(paused);
  const auto ids = submit(1);
  ASSERT_EQ(ids.size(), 1u);
  const std::string& id = ids.front();

  // The planner's request has reached the mock: the first worker holds the task and waits.
  ASSERT_TRUE(eventually([&] { return calls_to("planner") >= 1; }, 30s));
  ASSERT_EQ(lease_holder(store, id), "paused");
  paused->signal(SIGSTOP);

  // Its lease runs out; the second worker claims the task and runs it.
  auto taker = start_worker("taker", flags);
  ASSERT_TRUE(taker);
  ASSERT_TRUE(eventually([&] { return lease_holder(store, id) == "taker"; }, 30s))
      << "the task was not taken over";

  // The first worker wakes with the planner's answer waiting in its socket, while the second
  // still runs the task.
  paused->signal(SIGCONT);
  const auto tasks = wait_all(ids, 60s);
  ASSERT_EQ(tasks.size(), 1u);
  // The planner answered both workers; only the lease holder's plan was recorded.
  expect_completed_once(tasks.at(id), /*planned=*/1);
  EXPECT_EQ(calls_to("planner"), 2u);

  // Both workers are still well and stop cleanly on SIGTERM.
  std::this_thread::sleep_for(500ms);  // time for the woken worker to notice its lost lease
  for (auto* worker : {&paused, &taker}) {
    (*worker)->signal(SIGTERM);
    const auto status = (*worker)->wait(30s);
    ASSERT_TRUE(status) << "a worker did not stop on SIGTERM";
    EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << *status;
  }
  const std::string log = read_file(log_of("paused"));
  EXPECT_NE(log.find("lost"), std::string::npos) << "the woken worker says it lost the task:\n"
                                                 << log;
}

}  // namespace
}  // namespace opsgraph::fleet
