// PostgresStore: counting tasks by status and the queue depth, for metrics. One statement sees one
// snapshot (READ COMMITTED takes it per statement), so both counts agree; it takes no row locks.
#include <opsgraph/store/postgres_store.hpp>

#include "store/postgres/pg_store_impl.hpp"

namespace opsgraph::store {
namespace detail::pg {
namespace {

// Rows (status, count) per status, then (NULL, queue depth): status is NOT NULL, so the NULL row
// is the last part's. The first part is an index-only scan of tasks_by_status once autovacuum has
// marked the pages all-visible; the second counts the partial indexes claim() uses:
// tasks_unleased (runnable, no lease) and the expired part of tasks_lease_expiry.
constexpr const char* kCountSql =
    "SELECT status, count(*) FROM tasks GROUP BY status "
    "UNION ALL "
    "SELECT NULL, (SELECT count(*) FROM tasks WHERE runnable AND lease_expires_at IS NULL) + "
    "(SELECT count(*) FROM tasks WHERE runnable AND lease_expires_at <= $1)";

}  // namespace
}  // namespace detail::pg

result<TaskCounts> PostgresStore::count_tasks() {
  constexpr std::string_view kOperation = "count tasks";
  OPSGRAPH_TRY(auto connection, impl_->pool.acquire(kOperation));
  OPSGRAPH_TRY(auto rows,
               connection->query(detail::pg::kCountSql,
                                 detail::pg::Params().add(detail::pg::to_ms(impl_->clock.now())),
                                 kOperation));
  TaskCounts counts;
  for (int row = 0; row < rows.size(); ++row) {
    auto count = static_cast<std::uint64_t>(rows.int64(row, 1));
    if (rows.is_null(row, 0))
      counts.queued_unclaimed = count;
    else
      counts.by_status.emplace(rows.text(row, 0), count);
  }
  return counts;
}

}  // namespace opsgraph::store
