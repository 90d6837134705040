#pragma once
// opsgraph::store::TaskEvent — one entry of a task's append-only event log (progress, decisions,
// audit). Entries are never changed or removed once appended.
//
// A plain value type with no synchronisation of its own.

#include <cstdint>
#include <opsgraph/core/clock.hpp>
#include <string>

namespace opsgraph::store {

/// One appended event, as TaskStore::append_event returned it and events() reads it back. A plain
/// value; the stored event can never change.
struct TaskEvent {
  std::string task_id;
  /// 1, 2, 3... per task in append order, with no gaps.
  std::uint64_t seq = 0;
  /// A word chosen by the layer above ("node_finished", "approved", ...).
  std::string type;
  /// JSON text, opaque to the store.
  std::string data = "{}";
  /// When the store appended it, by the store's Clock.
  TimePoint at{};

  friend bool operator==(const TaskEvent&, const TaskEvent&) = default;
};

/// An event to append together with an update (TaskStore::update_with_events): its task and
/// sequence number come from the update, its time from the store's clock.
struct NewEvent {
  std::string type;
  std::string data = "{}";
};

}  // namespace opsgraph::store
