// The process the crash test kills: runs (or recovers) one run of the crash graph with its
// checkpoints in a SQLite file, and exits 0 when the run completed.
//
//   opsgraph_graph_crash_child <db> <run-id> start|recover <side-log>

#include <cstdio>
#include <opsgraph/graph/runner.hpp>
#include <opsgraph/store/sqlite_store.hpp>
#include <string>

#include "unit/graph/crash_graph.hpp"

int main(int argc, char** argv) {
  using namespace opsgraph;
  if (argc != 5) {
    std::fprintf(stderr, "usage: %s <db> <run-id> start|recover <side-log>\n", argv[0]);
    return 2;
  }
  const std::string db = argv[1], run_id = argv[2], mode = argv[3], side_log = argv[4];
  auto store = store::SqliteStore::open(db);
  auto graph = graph::testing::crash_graph(side_log);
  if (!store || !graph) {
    std::fprintf(stderr, "setup failed\n");
    return 3;
  }
  graph::Runner runner(graph::RunnerOptions{
      .io_threads = 1, .blocking_threads = 1, .checkpointer = std::move(store).value()});
  auto result = mode == "start"
                    ? runner.invoke(graph.value(), graph::testing::Trace{}, {.run_id = run_id})
                    : runner.recover_sync(graph.value(), run_id);
  if (!result) {
    std::fprintf(stderr, "%s\n", result.error().message.c_str());
    return 4;
  }
  std::printf("%s\n", std::string(to_string(result.value().status)).c_str());
  return result.value().status == graph::RunStatus::completed ? 0 : 5;
}
