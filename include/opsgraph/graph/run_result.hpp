#pragma once
// opsgraph::graph::RunResult — where a run stands when a Runner call returns: completed, parked on
// an interrupt, failed or cancelled, with the state as of its last finished step.

#include <cstdint>
#include <opsgraph/core/error.hpp>
#include <opsgraph/core/json_value.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace opsgraph::graph {

enum class RunStatus {
  completed,    ///< Every path reached the end.
  interrupted,  ///< A node asked for input; resume() continues the run.
  failed,       ///< A node failed for good, or the step limit was reached; error says which.
  cancelled,    ///< cancel() or the run's deadline stopped it; recover() may continue it.
};

inline std::string_view to_string(RunStatus status) noexcept {
  switch (status) {
    case RunStatus::completed:
      return "completed";
    case RunStatus::interrupted:
      return "interrupted";
    case RunStatus::failed:
      return "failed";
    case RunStatus::cancelled:
      return "cancelled";
  }
  return "unknown";
}

/// A node waiting for input, and what it asked.
struct Interrupt {
  std::string node;
  json::Value payload;
  friend bool operator==(const Interrupt&, const Interrupt&) = default;
};

template <class State>
struct RunResult {
  std::string run_id;
  RunStatus status = RunStatus::completed;
  /// The state after the last finished step (for an interrupted run: including the parallel
  /// branches that finished beside the interrupt).
  State state{};
  /// When interrupted: the nodes waiting, in graph order.
  std::vector<Interrupt> interrupts;
  /// When failed or cancelled: why (its node and attempts are in details).
  std::optional<Error> error;
  /// Steps finished so far, over the run's whole life.
  std::uint64_t steps = 0;
};

}  // namespace opsgraph::graph
