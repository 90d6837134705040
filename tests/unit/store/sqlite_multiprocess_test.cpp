// SqliteStore shared by processes: two workers on one pool of tasks, and a checkpoint writer
// killed with SIGKILL. The children are opsgraph_store_helper, started with posix_spawn.
#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <opsgraph/store/sqlite_store.hpp>
#include <set>
#include <string>
#include <vector>

#include "checkpoint_payload.hpp"
#include "raw_sqlite.hpp"
#include "store_conformance.hpp"
#include "support/child_process.hpp"
#include "support/temp_dir.hpp"

namespace opsgraph::store::testing {

using opsgraph::testing::ChildProcess;
namespace {

using std::chrono::seconds;

constexpr const char* kHelper = OPSGRAPH_STORE_HELPER;

std::string task_id(int i) {
  std::string digits = std::to_string(i);
  return "task-" + std::string(3 - std::min<std::size_t>(3, digits.size()), '0') + digits;
}

TEST(SqliteMultiProcess, TwoProcessesShareOnePoolOfTasksWithoutDoubleLeases) {
  constexpr int kTasks = 400;
  TempDir dir;
  auto path = dir.file("shared.db");
  auto go = dir.file("go");
  {
    auto store = SqliteStore::open(path);
    ASSERT_TRUE(store) << store.error().message;
    for (int i = 0; i < kTasks; ++i) {
      ASSERT_TRUE(store.value()->create(new_task(task_id(i))));
    }
  }
  std::vector<ChildProcess> workers;
  for (std::string name : {"worker-a", "worker-b"}) {
    auto child = ChildProcess::spawn(kHelper, {"worker", path, name, go});
    ASSERT_TRUE(child.has_value());
    workers.push_back(std::move(*child));
  }
  for (auto& worker : workers) {
    auto ready = worker.read_line(seconds{60});
    ASSERT_EQ(ready, std::optional<std::string>("ready"));
  }
  std::ofstream(go).close();

  int total_done = 0;
  std::vector<int> done_by_worker;
  for (auto& worker : workers) {
    auto line = worker.read_line(seconds{120});
    int status = worker.wait();
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "worker status " << status;
    ASSERT_TRUE(line.has_value());
    int done = -1;
    int lost = -1;
    ASSERT_EQ(std::sscanf(line->c_str(), "done %d lost %d", &done, &lost), 2) << *line;
    EXPECT_EQ(lost, 0) << "no lease expired, so no update may lose its compare-and-swap";
    total_done += done;
    done_by_worker.push_back(done);
  }
  EXPECT_EQ(total_done, kTasks);
  EXPECT_GT(done_by_worker[0], 0);
  EXPECT_GT(done_by_worker[1], 0);
  RecordProperty("worker_a", done_by_worker[0]);
  RecordProperty("worker_b", done_by_worker[1]);

  auto store = SqliteStore::open(path);
  ASSERT_TRUE(store) << store.error().message;
  std::map<std::string, int> completed_by;
  for (int i = 0; i < kTasks; ++i) {
    const std::string id = task_id(i);
    auto task = store.value()->get(id);
    ASSERT_TRUE(task) << task.error().message;
    // create (1), exactly one claim (2), one update (3): no second lease was ever granted.
    EXPECT_EQ(task.value().version, 3u) << id;
    EXPECT_EQ(task.value().status, "completed") << id;
    EXPECT_FALSE(task.value().runnable) << id;
    EXPECT_FALSE(task.value().lease.has_value()) << id;
    auto events = store.value()->events(id, 0, 10).value();
    ASSERT_EQ(events.size(), 1u) << id;
    EXPECT_EQ(events[0].type, "claimed");
    bool by_a = task.value().body == R"({"done_by":"worker-a"})";
    bool by_b = task.value().body == R"({"done_by":"worker-b"})";
    ASSERT_TRUE(by_a || by_b) << task.value().body;
    std::string worker = by_a ? "worker-a" : "worker-b";
    EXPECT_NE(events[0].data.find(worker), std::string::npos) << "claimed and completed by one";
    ++completed_by[worker];
  }
  EXPECT_EQ(completed_by["worker-a"], done_by_worker[0]);
  EXPECT_EQ(completed_by["worker-b"], done_by_worker[1]);
}

class SqliteKill : public ::testing::TestWithParam<std::string> {};

TEST_P(SqliteKill, AKilledWriterLosesNoAcknowledgedCheckpoint) {
  constexpr std::uint64_t kAcksBeforeKill = 300;
  TempDir dir;
  auto path = dir.file("crash.db");
  auto child = ChildProcess::spawn(kHelper, {"checkpoints", path, "run-1", GetParam()});
  ASSERT_TRUE(child.has_value());

  std::uint64_t last_ack = 0;
  while (last_ack < kAcksBeforeKill) {
    auto line = child->read_line(seconds{60});
    ASSERT_TRUE(line.has_value()) << "the writer stopped after step " << last_ack;
    last_ack = std::stoull(*line);
  }
  child->kill(SIGKILL);
  // Steps acknowledged between our last read and the kill are still in the pipe.
  while (auto line = child->read_line(seconds{10}))
    last_ack = std::stoull(*line);
  int status = child->wait();
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "status " << status;

  SqliteOptions keep_all;
  keep_all.checkpoint_history = 1'000'000;
  auto store = SqliteStore::open(path, keep_all);
  ASSERT_TRUE(store) << store.error().message;
  auto latest = store.value()->latest("run-1");
  ASSERT_TRUE(latest && latest.value().has_value());
  // The put in flight at the kill may have committed without being acknowledged.
  EXPECT_GE(latest.value()->step, last_ack);
  EXPECT_LE(latest.value()->step, last_ack + 1);
  auto history = store.value()->history("run-1", 1'000'000);
  ASSERT_TRUE(history) << history.error().message;
  ASSERT_EQ(history.value().size(), latest.value()->step);
  for (std::size_t i = 0; i < history.value().size(); ++i) {
    const auto& checkpoint = history.value()[i];
    ASSERT_EQ(checkpoint.step, i + 1);
    ASSERT_EQ(checkpoint.data, checkpoint_payload(checkpoint.step)) << "step " << checkpoint.step;
    ASSERT_EQ(checkpoint.graph, "helper");
  }
  RawSqlite raw(path);
  EXPECT_EQ(raw.text("PRAGMA integrity_check"), "ok");
  RecordProperty("acknowledged", static_cast<int>(last_ack));
}

INSTANTIATE_TEST_SUITE_P(Sync, SqliteKill, ::testing::Values("normal", "full"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace opsgraph::store::testing
