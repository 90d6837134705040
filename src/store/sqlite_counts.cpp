// SqliteStore: counting tasks by status and the queue depth, for metrics. One statement is one
// read transaction in WAL mode, so both counts come from one snapshot of the file and no writer
// waits for them.
#include <opsgraph/store/sqlite_store.hpp>

#include "store/sqlite_store_impl.hpp"

namespace opsgraph::store {
namespace detail {
namespace {

// Rows (status, count) per status, then (NULL, queue depth): status is NOT NULL, so the NULL row
// is the last part's. Each part is served by an index (EXPLAIN QUERY PLAN on SQLite 3.40):
//   - the first scans tasks_by_status as a covering index, never touching the table;
//   - the second counts the partial indexes claim() uses: tasks_unleased (runnable, no lease)
//     and the expired part of tasks_lease_expiry.
// A task that is not runnable (a finished one) costs one entry of a small index and nothing more.
constexpr const char* kCountSql =
    "SELECT status, count(*) FROM tasks GROUP BY status "
    "UNION ALL "
    "SELECT NULL, (SELECT count(*) FROM tasks WHERE runnable = 1 AND lease_expires_at IS NULL) + "
    "(SELECT count(*) FROM tasks WHERE runnable = 1 AND lease_expires_at IS NOT NULL AND "
    "lease_expires_at <= ?1)";

}  // namespace
}  // namespace detail

result<TaskCounts> SqliteStore::count_tasks() {
  std::lock_guard lock(impl_->mutex);
  OPSGRAPH_TRY(auto stmt, impl_->connection->prepare(detail::kCountSql, "count tasks"));
  stmt.bind(1, detail::to_ms(impl_->clock.now()));
  TaskCounts counts;
  for (;;) {
    OPSGRAPH_TRY(bool row, stmt.step());
    if (!row)
      break;
    auto count = static_cast<std::uint64_t>(stmt.int64(1));
    if (stmt.is_null(0))
      counts.queued_unclaimed = count;
    else
      counts.by_status.emplace(stmt.text(0), count);
  }
  return counts;
}

}  // namespace opsgraph::store
