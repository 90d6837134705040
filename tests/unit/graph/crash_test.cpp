// A run killed mid-way (SIGKILL to the process running it) continues from its last SQLite
// checkpoint in a fresh process: no finished step runs again and none is lost.

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <fstream>
#include <map>
#include <opsgraph/core/json.hpp>
#include <opsgraph/store/sqlite_store.hpp>
#include <thread>

#include "support/child_process.hpp"
#include "support/temp_dir.hpp"
#include "unit/graph/crash_graph.hpp"

namespace opsgraph::graph {
namespace {

using namespace std::chrono_literals;
using opsgraph::testing::ChildProcess;
using opsgraph::testing::TempDir;
using testing::Trace;

struct Saved {
  std::string status;
  std::uint64_t steps = 0;
  Trace state;
};

std::optional<Saved> latest_checkpoint(const std::string& db, const std::string& run_id) {
  auto store = store::SqliteStore::open(db);
  if (!store)
    return std::nullopt;
  auto latest = store.value()->latest(run_id);
  if (!latest || !latest.value())
    return std::nullopt;
  auto doc = json::parse(latest.value()->data);
  if (!doc)
    return std::nullopt;
  auto state = json::from_value<Trace>(*doc.value().find("state"));
  if (!state)
    return std::nullopt;
  return Saved{*doc.value().find("status")->if_string(),
               static_cast<std::uint64_t>(*doc.value().find("steps")->if_integer()),
               std::move(state).value()};
}

std::map<std::string, int> starts_in(const std::string& side_log) {
  std::map<std::string, int> starts;
  std::ifstream in(side_log);
  for (std::string line; std::getline(in, line);)
    ++starts[line];
  return starts;
}

TEST(CrashTest, AKilledRunResumesFromItsLastCheckpointInAFreshProcess) {
  TempDir dir;
  const auto db = dir.file("runs.db");
  const auto side_log = dir.file("starts.log");
  const std::string run_id = "crash-run";

  auto first = ChildProcess::spawn(OPSGRAPH_CRASH_CHILD, {db, run_id, "start", side_log});
  ASSERT_TRUE(first);
  std::optional<Saved> before_kill;
  for (int i = 0; i < 1000; ++i) {
    before_kill = latest_checkpoint(db, run_id);
    if (before_kill && before_kill->steps >= 6)
      break;
    std::this_thread::sleep_for(5ms);
  }
  ASSERT_TRUE(before_kill) << "the child never checkpointed";
  first->kill(SIGKILL);
  const int killed = first->wait();
  ASSERT_TRUE(WIFSIGNALED(killed) && WTERMSIG(killed) == SIGKILL) << "the child ended by itself";

  auto at_kill = latest_checkpoint(db, run_id);
  ASSERT_TRUE(at_kill);
  EXPECT_EQ(at_kill->status, "running");
  EXPECT_GE(at_kill->steps, 6u);
  EXPECT_LT(at_kill->steps, static_cast<std::uint64_t>(testing::kCrashNodes));
  EXPECT_EQ(at_kill->state.visited.size(), at_kill->steps);

  auto second = ChildProcess::spawn(OPSGRAPH_CRASH_CHILD, {db, run_id, "recover", side_log});
  ASSERT_TRUE(second);
  const int recovered = second->wait();
  ASSERT_TRUE(WIFEXITED(recovered));
  ASSERT_EQ(WEXITSTATUS(recovered), 0) << "recovery did not complete the run";

  auto final = latest_checkpoint(db, run_id);
  ASSERT_TRUE(final);
  EXPECT_EQ(final->status, "completed");
  std::vector<std::string> expected;
  for (int i = 1; i <= testing::kCrashNodes; ++i)
    expected.push_back(testing::crash_node_name(i));
  EXPECT_EQ(final->state.visited, expected);  // none lost, none twice, in order

  // Steps that had finished before the kill never started again; only the one in flight may have.
  auto starts = starts_in(side_log);
  int restarted = 0;
  for (int i = 1; i <= testing::kCrashNodes; ++i) {
    const auto name = testing::crash_node_name(i);
    if (static_cast<std::uint64_t>(i) <= at_kill->steps) {
      EXPECT_EQ(starts[name], 1) << name << " finished before the kill and ran again";
    } else {
      EXPECT_GE(starts[name], 1) << name;
      EXPECT_LE(starts[name], 2) << name;
      restarted += starts[name] - 1;
    }
  }
  EXPECT_LE(restarted, 1);
}

}  // namespace
}  // namespace opsgraph::graph
