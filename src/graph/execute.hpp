#pragma once
// The superstep engine: runs the nodes of a frame step by step (parallel nodes of one step
// together), with retries, timeouts, cancellation, interrupts, events and — for the top-level
// frame — a checkpoint after every step.

#include <memory>
#include <opsgraph/core/task.hpp>

#include "graph/active_run.hpp"

namespace opsgraph::graph::detail {

enum class FrameEnd { completed, interrupted, failed };

struct FrameOutcome {
  FrameEnd end = FrameEnd::completed;
  std::optional<Error> error;
};

/// Runs `frame` until it completes, parks on an interrupt or fails. A durable frame saves a
/// checkpoint after every step that another follows, unless all of the step's nodes opt out
/// (NodeOptions::checkpoint); the run saves the last one itself when it stops. `frame` must outlive
/// the returned task (the caller awaits it).
Task<FrameOutcome> execute_frame(std::shared_ptr<ActiveRun> run, Frame& frame, bool durable);

/// Saves the run's top frame with `status` ("running" or a RunStatus word).
Task<result<void>> save_checkpoint(std::shared_ptr<ActiveRun> run, std::string status,
                                   std::optional<Error> error);

/// Erases every checkpoint of the run (it completed and its owner keeps no record of it).
Task<result<void>> erase_checkpoints(std::shared_ptr<ActiveRun> run);

/// Reports an event to the Runner's observers, in order, on the run's strand.
void emit(ActiveRun& run, EventType type, std::string_view node = {}, int attempt = 0,
          const Error* error = nullptr, std::chrono::milliseconds delay = {},
          const json::Value* payload = nullptr);

/// Stops the run: remembers why, and cancels every node attempt and backoff in flight.
void stop_run(ActiveRun& run, Error reason);

}  // namespace opsgraph::graph::detail
