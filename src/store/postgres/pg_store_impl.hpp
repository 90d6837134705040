#pragma once
// PostgresStore's private state and the row helpers its source files (tasks, events, leases,
// checkpoints, work notifications) share.

#include <cstdint>
#include <memory>
#include <mutex>
#include <opsgraph/core/clock.hpp>
#include <opsgraph/store/postgres_store.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "store/postgres/pg_listener.hpp"
#include "store/postgres/pg_pool.hpp"

// The columns read_task() expects, in its order.
#define OPSGRAPH_PG_TASK_COLUMNS                                                           \
  "id, status, stage, owner, idempotency_key, version, created_at, updated_at, runnable, " \
  "lease_worker, lease_token, lease_expires_at, body"

namespace opsgraph::store {

struct PostgresStore::Impl {
  Impl(detail::pg::ConnectSettings settings, PostgresOptions o, const Clock& k)
      : pool(std::move(settings), o.pool_size, o.acquire_timeout),
        clock(k),
        options(std::move(o)) {}

  detail::pg::Pool pool;
  const Clock& clock;
  PostgresOptions options;
  // Started by the first wait_for_work() or watch_work().
  std::mutex listener_mutex;
  std::unique_ptr<detail::pg::Listener> listener;

  /// The listener, started on first use.
  detail::pg::Listener& started_listener();
};

namespace detail::pg {

inline std::int64_t to_ms(TimePoint t) noexcept {
  return t.time_since_epoch().count();
}
inline TimePoint from_ms(std::int64_t ms) noexcept {
  return TimePoint{std::chrono::milliseconds{ms}};
}

/// Reads row `row` of a result selected as OPSGRAPH_PG_TASK_COLUMNS.
TaskRecord read_task(const Rows& rows, int row);

/// The task with this id, or nullopt.
result<std::optional<TaskRecord>> select_task(Connection& connection, std::string_view id,
                                              std::string_view operation);

/// Appends `events` to the task's log, numbered after its last one, all stamped `at`; inside the
/// caller's transaction when there is one. Errors: not_found (no such task), storage.
result<std::vector<TaskEvent>> append_events(Connection& connection, std::string_view task_id,
                                             std::span<const NewEvent> events, TimePoint at);

}  // namespace detail::pg
}  // namespace opsgraph::store
