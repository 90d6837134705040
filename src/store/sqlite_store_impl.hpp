#pragma once
// SqliteStore's private state and the row helpers that its source files (tasks, events, leases,
// checkpoints) share.

#include <cstdint>
#include <memory>
#include <mutex>
#include <opsgraph/core/clock.hpp>
#include <opsgraph/store/sqlite_store.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "store/sqlite_connection.hpp"
#include "store/sqlite_wal_copier.hpp"

// The columns read_task() expects, in its order.
#define OPSGRAPH_SQLITE_TASK_COLUMNS                                                       \
  "id, status, stage, owner, idempotency_key, version, created_at, updated_at, runnable, " \
  "lease_worker, lease_token, lease_expires_at, body"

namespace opsgraph::store {

struct SqliteStore::Impl {
  Impl(std::unique_ptr<detail::Connection> c, const Clock& k, SqliteOptions o)
      : connection(std::move(c)), clock(k), options(o) {}

  // One connection serves every thread; the mutex makes its use (and each transaction) exclusive.
  std::mutex mutex;
  std::unique_ptr<detail::Connection> connection;
  const Clock& clock;
  SqliteOptions options;
  // Declared last, so it stops before the connection closes.
  std::unique_ptr<detail::WalCopier> wal_copier;
};

namespace detail {

inline std::int64_t to_ms(TimePoint t) noexcept {
  return t.time_since_epoch().count();
}
inline TimePoint from_ms(std::int64_t ms) noexcept {
  return TimePoint{std::chrono::milliseconds{ms}};
}

/// Reads a row selected as OPSGRAPH_SQLITE_TASK_COLUMNS.
TaskRecord read_task(const Statement& row);

/// The task with this id, or nullopt.
result<std::optional<TaskRecord>> select_task(Connection& connection, std::string_view id,
                                              std::string_view operation);

/// Appends `events` to the task's log inside the caller's write transaction, numbered after its
/// last one, all stamped `at`. Errors: not_found (no such task), storage.
result<std::vector<TaskEvent>> append_events(Connection& connection, std::string_view task_id,
                                             std::span<const NewEvent> events, TimePoint at);

/// Writes a checked checkpoint inside the caller's write transaction and prunes its run to the
/// `keep` newest. Errors: conflict (the run has this step or a later one), storage.
result<void> write_checkpoint(Connection& connection, const Checkpoint& checkpoint, TimePoint now,
                              std::size_t keep);

}  // namespace detail
}  // namespace opsgraph::store
