#pragma once
// opsgraph::graph::Event — what a run reports while it goes: nodes starting, finishing, failing
// and being retried, and the run being interrupted, resumed, completed, failed or cancelled.
// Observers receive a run's events one at a time, in order (seq is 1, 2, 3... per run and per
// process); a run's observer calls never overlap. Strings and pointers in an Event are valid only
// during the call: copy what you keep. Observers must be quick and must not block.

#include <chrono>
#include <cstdint>
#include <functional>
#include <opsgraph/core/clock.hpp>
#include <opsgraph/core/error.hpp>
#include <opsgraph/core/json_value.hpp>
#include <string_view>

namespace opsgraph::graph {

enum class EventType {
  run_started,    ///< A new run began at its entry node.
  resumed,        ///< A run continued from a checkpoint (after an interrupt or a crash).
  node_started,   ///< A node attempt began (attempt says which).
  node_finished,  ///< A node attempt succeeded; its state changes are committed.
  node_failed,    ///< A node attempt failed (error says why); a retry may follow.
  node_retried,   ///< A failed node will be tried again after `delay`.
  interrupted,    ///< A node asked for outside input; the run is parked (payload says what).
  completed,      ///< The run reached its end.
  failed,         ///< The run stopped on an error.
  cancelled,      ///< The run was cancelled or ran past its deadline.
};

/// "node_started", "completed", ...
std::string_view to_string(EventType type) noexcept;

struct Event {
  EventType type;
  std::uint64_t seq = 0;
  std::string_view run_id;
  std::string_view graph;
  /// The step (superstep) the event belongs to; steps count from 1.
  std::uint64_t step = 0;
  /// The node, for node events and interrupts; empty otherwise.
  std::string_view node;
  /// The attempt number of a node event (1 for the first).
  int attempt = 0;
  TimePoint at{};
  /// For node_failed, failed and cancelled.
  const Error* error = nullptr;
  /// For node_retried: how long the run waits before the next attempt.
  std::chrono::milliseconds delay{0};
  /// For interrupted: what the node asked; for resumed: the value it was given, if any.
  const json::Value* payload = nullptr;
};

using Observer = std::function<void(const Event&)>;

inline std::string_view to_string(EventType type) noexcept {
  switch (type) {
    case EventType::run_started:
      return "run_started";
    case EventType::resumed:
      return "resumed";
    case EventType::node_started:
      return "node_started";
    case EventType::node_finished:
      return "node_finished";
    case EventType::node_failed:
      return "node_failed";
    case EventType::node_retried:
      return "node_retried";
    case EventType::interrupted:
      return "interrupted";
    case EventType::completed:
      return "completed";
    case EventType::failed:
      return "failed";
    case EventType::cancelled:
      return "cancelled";
  }
  return "unknown";
}

}  // namespace opsgraph::graph
