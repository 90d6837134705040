// SqliteStore: handing out work with leases (claim, renew, release), and checkpoints fenced by
// them.
#include <opsgraph/store/sqlite_store.hpp>

#include "store/sqlite_store_impl.hpp"
#include "store/validation.hpp"

namespace opsgraph::store {
namespace detail {
namespace {

// One statement picks and leases the oldest claimable task, inside a write transaction, so no
// other connection can lease it in between. The oldest task with no lease is the first entry of
// tasks_unleased; those whose lease expired are found through tasks_lease_expiry (few, unless a
// worker died); the older of the two wins. Tasks leased to live workers are never read.
result<std::optional<TaskRecord>> lease_oldest(Connection& connection, std::string_view worker,
                                               TimePoint now, TimePoint expires_at) {
  OPSGRAPH_TRY(
      auto stmt,
      connection.prepare("UPDATE tasks SET lease_worker = ?1, lease_token = lease_token + 1, "
                         "lease_expires_at = ?2, version = version + 1, updated_at = ?3 "
                         "WHERE id = (SELECT id FROM ("
                         "SELECT * FROM (SELECT id, created_at FROM tasks WHERE runnable = 1 AND "
                         "lease_expires_at IS NULL ORDER BY created_at, id LIMIT 1) "
                         "UNION ALL "
                         "SELECT * FROM (SELECT id, created_at FROM tasks WHERE runnable = 1 AND "
                         "lease_expires_at IS NOT NULL AND lease_expires_at <= ?3 "
                         "ORDER BY created_at, id LIMIT 1)) "
                         "ORDER BY created_at, id LIMIT 1) "
                         "RETURNING " OPSGRAPH_SQLITE_TASK_COLUMNS,
                         "claim task"));
  stmt.bind(1, worker).bind(2, to_ms(expires_at)).bind(3, to_ms(now));
  OPSGRAPH_TRY(bool row, stmt.step());
  if (!row)
    return std::optional<TaskRecord>{};
  return std::optional<TaskRecord>{read_task(stmt)};
}

// Whether claim() would find a task now: a read, outside any write transaction, from the same
// two indexes. Workers poll, and most polls of an idle store find nothing; this way they never
// take the file's write lock, which would hold up other processes' writes for nothing.
result<bool> anything_claimable(Connection& connection, TimePoint now) {
  OPSGRAPH_TRY(auto stmt,
               connection.prepare("SELECT EXISTS (SELECT 1 FROM tasks WHERE runnable = 1 AND "
                                  "lease_expires_at IS NULL) OR EXISTS (SELECT 1 FROM tasks "
                                  "WHERE runnable = 1 AND lease_expires_at IS NOT NULL AND "
                                  "lease_expires_at <= ?1)",
                                  "claim task"));
  stmt.bind(1, to_ms(now));
  OPSGRAPH_TRY(bool row, stmt.step());
  return row && stmt.int64(0) != 0;
}

// The task's current lease (nullopt when none); not_found when there is no such task.
result<std::optional<Lease>> current_lease(Connection& connection, std::string_view id,
                                           std::string_view operation) {
  OPSGRAPH_TRY(auto stmt, connection.prepare("SELECT lease_worker, lease_token, lease_expires_at "
                                             "FROM tasks WHERE id = ?1",
                                             operation));
  stmt.bind(1, id);
  OPSGRAPH_TRY(bool row, stmt.step());
  if (!row)
    return fail(task_not_found(id));
  if (stmt.is_null(0))
    return std::optional<Lease>{};
  return std::optional<Lease>{
      Lease{stmt.text(0), static_cast<std::uint64_t>(stmt.int64(1)), from_ms(stmt.int64(2))}};
}

result<void> set_lease_expiry(Connection& connection, std::string_view id, TimePoint expires_at) {
  OPSGRAPH_TRY(auto stmt, connection.prepare("UPDATE tasks SET lease_expires_at = ?2 WHERE id = ?1",
                                             "renew lease"));
  stmt.bind(1, id).bind(2, to_ms(expires_at));
  return stmt.run();
}

result<void> clear_lease(Connection& connection, std::string_view id) {
  OPSGRAPH_TRY(auto stmt, connection.prepare("UPDATE tasks SET lease_worker = NULL, "
                                             "lease_expires_at = NULL WHERE id = ?1",
                                             "release lease"));
  stmt.bind(1, id);
  return stmt.run();
}

}  // namespace
}  // namespace detail

result<std::optional<TaskRecord>> SqliteStore::claim(std::string_view worker,
                                                     std::chrono::milliseconds ttl) {
  OPSGRAPH_TRY(detail::check_key("worker", worker));
  OPSGRAPH_TRY(detail::check_ttl(ttl));
  std::lock_guard lock(impl_->mutex);
  auto& connection = *impl_->connection;
  OPSGRAPH_TRY(auto any, detail::anything_claimable(connection, impl_->clock.now()));
  if (!any)
    return std::optional<TaskRecord>{};
  // Checked again under the write lock: another process may have claimed it meanwhile.
  OPSGRAPH_TRY(auto transaction, detail::WriteTransaction::begin(connection, "claim task"));
  auto now = impl_->clock.now();
  OPSGRAPH_TRY(auto claimed, detail::lease_oldest(connection, worker, now, now + ttl));
  OPSGRAPH_TRY(transaction.commit());
  return claimed;
}

result<Lease> SqliteStore::renew(std::string_view id, std::uint64_t token,
                                 std::chrono::milliseconds ttl) {
  OPSGRAPH_TRY(detail::check_ttl(ttl));
  std::lock_guard lock(impl_->mutex);
  auto& connection = *impl_->connection;
  OPSGRAPH_TRY(auto transaction, detail::WriteTransaction::begin(connection, "renew lease"));
  OPSGRAPH_TRY(auto lease, detail::current_lease(connection, id, "renew lease"));
  auto now = impl_->clock.now();
  OPSGRAPH_TRY(detail::check_lease_holder(id, lease, token, now));
  lease->expires_at = now + ttl;
  OPSGRAPH_TRY(detail::set_lease_expiry(connection, id, lease->expires_at));
  OPSGRAPH_TRY(transaction.commit());
  return std::move(*lease);
}

result<void> SqliteStore::release(std::string_view id, std::uint64_t token) {
  std::lock_guard lock(impl_->mutex);
  auto& connection = *impl_->connection;
  OPSGRAPH_TRY(auto transaction, detail::WriteTransaction::begin(connection, "release lease"));
  OPSGRAPH_TRY(auto lease, detail::current_lease(connection, id, "release lease"));
  OPSGRAPH_TRY(detail::check_lease_holder(id, lease, token, impl_->clock.now()));
  OPSGRAPH_TRY(detail::clear_lease(connection, id));
  return transaction.commit();
}

result<void> SqliteStore::put_leased(const Checkpoint& checkpoint, std::uint64_t lease_token) {
  constexpr std::string_view kOperation = "put leased checkpoint";
  OPSGRAPH_TRY(detail::check_checkpoint(checkpoint));
  std::lock_guard lock(impl_->mutex);
  auto& connection = *impl_->connection;
  // BEGIN IMMEDIATE: no other connection can take the lease between the check and the write.
  OPSGRAPH_TRY(auto transaction, detail::WriteTransaction::begin(connection, kOperation));
  OPSGRAPH_TRY(auto lease, detail::current_lease(connection, checkpoint.run_id, kOperation));
  const auto now = impl_->clock.now();
  OPSGRAPH_TRY(detail::check_lease_holder(checkpoint.run_id, lease, lease_token, now));
  OPSGRAPH_TRY(
      detail::write_checkpoint(connection, checkpoint, now, impl_->options.checkpoint_history));
  return transaction.commit();
}

}  // namespace opsgraph::store
