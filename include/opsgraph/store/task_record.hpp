#pragma once
// opsgraph::store::TaskRecord — one unit of work as a TaskStore keeps it: the few fields the store
// indexes and enforces (version, lease, idempotency key, timestamps) around a JSON body that
// belongs to the layer above and that the store never reads.
//
// Plain value types with no synchronisation of their own; a store hands out copies.

#include <cstdint>
#include <opsgraph/core/clock.hpp>
#include <opsgraph/store/task_event.hpp>
#include <optional>
#include <string>
#include <vector>

namespace opsgraph::store {

/// A worker's time-limited hold on a task, granted by TaskStore::claim and ended by release()
/// or by expiry. A plain value: the store owns the real lease, this is a copy of it.
struct Lease {
  std::string worker;
  /// Fencing token: strictly increasing per task, so a holder whose lease lapsed and was granted
  /// again to someone else can no longer renew or release it.
  std::uint64_t token = 0;
  /// The lease is live while the store's clock reads earlier than this.
  TimePoint expires_at{};

  friend bool operator==(const Lease&, const Lease&) = default;
};

/// One task as stored: the fields the store enforces plus the opaque body. A plain value; the
/// store keeps its own copy, so changing this one changes nothing until update() is called.
struct TaskRecord {
  /// Caller-assigned, unique. Time-ordered ids (UUIDv7) make the id order the creation order.
  std::string id;
  /// Filterable words owned by the layer above; the store attaches no meaning to them.
  std::string status;
  std::string stage;
  /// Who asked for the task; filterable.
  std::string owner;
  /// A second unique key chosen by the caller: creating with a known key returns that record.
  std::optional<std::string> idempotency_key;
  /// 1 on create, +1 on every update and every claim; the compare-and-swap value of update().
  std::uint64_t version = 0;
  /// Set by the store from its Clock; what the caller passes is ignored.
  TimePoint created_at{};
  TimePoint updated_at{};
  /// Whether a worker may claim the task when no live lease holds it.
  bool runnable = false;
  /// The latest lease granted, until it is released or granted again (it may have expired).
  /// Read-only: create() and update() ignore what the caller passes.
  std::optional<Lease> lease;
  /// JSON text, opaque to the store.
  std::string body = "{}";

  friend bool operator==(const TaskRecord&, const TaskRecord&) = default;
};

/// What TaskStore::create returns: the stored record, and whether this call created it (false when
/// the idempotency key was already known and `record` is the earlier task). A plain value.
struct Created {
  TaskRecord record;
  bool created = false;
  /// The events create_with_events() appended, as stored (none when nothing was created).
  std::vector<TaskEvent> events{};
};

}  // namespace opsgraph::store
