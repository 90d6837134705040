#pragma once
// The graph of the crash test, shared by the test and its child process: twenty nodes in a line,
// each noting its start in a side log (an effect outside the state), waiting 25 ms, and recording
// itself in the state.

#include <fcntl.h>
#include <unistd.h>

#include <opsgraph/graph/state_graph.hpp>
#include <string>

#include "unit/graph/trace_state.hpp"

namespace opsgraph::graph::testing {

inline constexpr int kCrashNodes = 20;

inline std::string crash_node_name(int i) {
  return std::string(i < 10 ? "n0" : "n") + std::to_string(i);
}

/// Appends "name\n" to the side log with one write(2), so a kill never leaves half a line.
inline void note_start(const std::string& side_log, const std::string& name) {
  int fd = ::open(side_log.c_str(), O_WRONLY | O_APPEND | O_CREAT, 0644);
  if (fd < 0)
    return;
  const std::string line = name + "\n";
  [[maybe_unused]] auto written = ::write(fd, line.data(), line.size());
  ::close(fd);
}

struct CrashNode {
  std::string name;
  std::string side_log;
  Task<result<void>> operator()(Trace& t, NodeContext& ctx) const {
    note_start(side_log, name);
    return sleep_then_visit(t, ctx, name, std::chrono::milliseconds{25});
  }
};

inline result<CompiledGraph<Trace>> crash_graph(const std::string& side_log) {
  StateGraph<Trace> g("crash-line");
  for (int i = 1; i <= kCrashNodes; ++i) {
    g.add_node(crash_node_name(i), CrashNode{crash_node_name(i), side_log});
    g.add_edge(crash_node_name(i), i == kCrashNodes ? std::string(kEnd) : crash_node_name(i + 1));
  }
  g.set_entry(crash_node_name(1));
  return g.compile();
}

}  // namespace opsgraph::graph::testing
