#pragma once
// The JSON a run's checkpoint holds: where the run stands (status, the nodes of the current step,
// join progress, attempts, interrupts, error) and its state. Node names, not indexes, so that a
// checkpoint stays readable by a rebuilt graph of the same shape.

#include <cstdint>
#include <opsgraph/core/clock.hpp>
#include <opsgraph/core/error.hpp>
#include <opsgraph/core/json_value.hpp>
#include <opsgraph/core/result.hpp>
#include <opsgraph/graph/run_result.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace opsgraph::graph::detail {

struct Snapshot {
  static constexpr int kFormat = 1;

  std::string graph;
  /// "running" or a RunStatus word.
  std::string status = "running";
  std::uint64_t steps = 0;
  std::uint64_t step_limit = 0;
  std::vector<std::string> pending;
  std::vector<std::string> done;
  /// Per join of the graph, in declaration order: the sources that have arrived.
  std::vector<std::vector<std::string>> joins;
  std::vector<std::pair<std::string, int>> attempts;
  std::vector<Interrupt> interrupts;
  std::optional<Error> error;
  std::optional<TimePoint> deadline;
};

/// `state_json` is spliced in as written: the state's codec already made it JSON.
std::string encode_snapshot(const Snapshot& snapshot, std::string_view state_json);

struct DecodedSnapshot {
  Snapshot snapshot;
  json::Value state;
};

result<DecodedSnapshot> decode_snapshot(std::string_view data);

}  // namespace opsgraph::graph::detail
