// PostgresStore: handing out work with leases (claim, renew, release), and checkpoints fenced by
// them. The fencing token is the task's lease_token, raised by every claim; renew, release and
// put_leased match it, and claim raises the version too, so a stale holder's update() loses its
// compare-and-swap.
#include <algorithm>
#include <limits>
#include <opsgraph/store/postgres_store.hpp>

#include "store/postgres/pg_store_impl.hpp"
#include "store/validation.hpp"

namespace opsgraph::store {
namespace detail::pg {
namespace {

// Each candidate query locks the oldest row of its kind and skips rows other transactions hold,
// so concurrent claimers neither wait for one another nor pick the same task; a row that another
// claim committed meanwhile is re-checked and passed over. The oldest task with no lease is the
// first entry of tasks_unleased; those whose lease expired are found through tasks_lease_expiry
// (few, unless a worker died); the older of the two is leased, and the other's lock ends with the
// statement's transaction. Tasks leased to live workers are never read. NO KEY UPDATE is the lock
// the UPDATE takes anyway, and it does not conflict with the key-share locks of event appends.
constexpr const char* kClaimSql =
    "WITH unleased AS (SELECT id, created_at FROM tasks WHERE runnable AND "
    "lease_expires_at IS NULL ORDER BY created_at, id LIMIT 1 FOR NO KEY UPDATE SKIP LOCKED), "
    "expired AS (SELECT id, created_at FROM tasks WHERE runnable AND lease_expires_at <= $3 "
    "ORDER BY created_at, id LIMIT 1 FOR NO KEY UPDATE SKIP LOCKED) "
    "UPDATE tasks SET lease_worker = $1, lease_token = lease_token + 1, lease_expires_at = $2, "
    "version = version + 1, updated_at = $3 "
    "WHERE id = (SELECT id FROM (SELECT * FROM unleased UNION ALL SELECT * FROM expired) AS c "
    "ORDER BY created_at, id LIMIT 1) "
    "RETURNING " OPSGRAPH_PG_TASK_COLUMNS;

// The task's current lease (nullopt when none); not_found when there is no such task.
result<std::optional<Lease>> current_lease(Connection& connection, std::string_view id,
                                           std::string_view operation) {
  OPSGRAPH_TRY(auto rows, connection.query("SELECT lease_worker, lease_token, lease_expires_at "
                                           "FROM tasks WHERE id = $1",
                                           Params().add(id), operation));
  if (rows.empty())
    return fail(task_not_found(id));
  if (rows.is_null(0, 0))
    return std::optional<Lease>{};
  return std::optional<Lease>{Lease{rows.text(0, 0), static_cast<std::uint64_t>(rows.int64(0, 1)),
                                    from_ms(rows.int64(0, 2))}};
}

// Why a lease change matched no row: the same errors as every backend gives.
Error explain_missed_lease(Connection& connection, std::string_view id, std::uint64_t token,
                           TimePoint now, std::string_view operation) {
  auto lease = current_lease(connection, id, operation);
  if (!lease)
    return lease.error();
  auto holder = check_lease_holder(id, lease.value(), token, now);
  if (!holder)
    return holder.error();
  // The lease changed between the two statements; report it as the lost race it is.
  return make_error(errc::conflict, "lease " + std::to_string(token) + " of task " +
                                        std::string(id) + " changed during " +
                                        std::string(operation));
}

}  // namespace
}  // namespace detail::pg

result<std::optional<TaskRecord>> PostgresStore::claim(std::string_view worker,
                                                       std::chrono::milliseconds ttl) {
  OPSGRAPH_TRY(detail::check_key("worker", worker));
  OPSGRAPH_TRY(detail::check_ttl(ttl));
  OPSGRAPH_TRY(auto connection, impl_->pool.acquire("claim task"));
  auto now = impl_->clock.now();
  detail::pg::Params params;
  params.add(worker).add(detail::pg::to_ms(now + ttl)).add(detail::pg::to_ms(now));
  OPSGRAPH_TRY(auto rows, connection->query(detail::pg::kClaimSql, params, "claim task"));
  if (rows.empty())
    return std::optional<TaskRecord>{};
  return std::optional<TaskRecord>{detail::pg::read_task(rows, 0)};
}

result<Lease> PostgresStore::renew(std::string_view id, std::uint64_t token,
                                   std::chrono::milliseconds ttl) {
  constexpr std::string_view kRenew = "renew lease";
  OPSGRAPH_TRY(detail::check_ttl(ttl));
  OPSGRAPH_TRY(auto connection, impl_->pool.acquire(kRenew));
  auto now = impl_->clock.now();
  detail::pg::Params params;
  params.add(id)
      .add(static_cast<std::int64_t>(token))
      .add(detail::pg::to_ms(now))
      .add(detail::pg::to_ms(now + ttl));
  OPSGRAPH_TRY(auto rows,
               connection->query("UPDATE tasks SET lease_expires_at = $4 WHERE id = $1 AND "
                                 "lease_token = $2 AND lease_worker IS NOT NULL AND "
                                 "lease_expires_at > $3 RETURNING lease_worker",
                                 params, kRenew));
  if (rows.empty())
    return fail(detail::pg::explain_missed_lease(*connection, id, token, now, kRenew));
  return Lease{rows.text(0, 0), token, now + ttl};
}

result<void> PostgresStore::release(std::string_view id, std::uint64_t token) {
  constexpr std::string_view kRelease = "release lease";
  OPSGRAPH_TRY(auto connection, impl_->pool.acquire(kRelease));
  auto now = impl_->clock.now();
  detail::pg::Params params;
  params.add(id).add(static_cast<std::int64_t>(token)).add(detail::pg::to_ms(now));
  OPSGRAPH_TRY(auto rows, connection->query("UPDATE tasks SET lease_worker = NULL, "
                                            "lease_expires_at = NULL WHERE id = $1 AND "
                                            "lease_token = $2 AND lease_worker IS NOT NULL AND "
                                            "lease_expires_at > $3 RETURNING 1",
                                            params, kRelease));
  if (rows.empty())
    return fail(detail::pg::explain_missed_lease(*connection, id, token, now, kRelease));
  return ok();
}

result<void> PostgresStore::put_leased(const Checkpoint& checkpoint, std::uint64_t lease_token) {
  constexpr std::string_view kPutLeased = "put leased checkpoint";
  OPSGRAPH_TRY(detail::check_checkpoint(checkpoint));
  OPSGRAPH_TRY(auto connection, impl_->pool.acquire(kPutLeased));
  const auto now = impl_->clock.now();
  const auto keep = std::min<std::uint64_t>(impl_->options.checkpoint_history,
                                            std::numeric_limits<std::int64_t>::max());
  detail::pg::Params params;
  params.add(checkpoint.run_id)
      .add(static_cast<std::int64_t>(checkpoint.step))
      .add(checkpoint.graph)
      .add(checkpoint.data)
      .add(detail::pg::to_ms(detail::checkpoint_time(checkpoint, now)))
      .add(static_cast<std::int64_t>(keep))
      .add(static_cast<std::int64_t>(lease_token))
      .add(detail::pg::to_ms(now));
  // One statement (schema migration 4): the task row is locked before the write, so a claim
  // either committed first, and the token no longer matches, or waits for this put.
  OPSGRAPH_TRY(auto rows, connection->query("SELECT opsgraph_put_leased_checkpoint($1, $2, $3, $4, "
                                            "$5, $6, $7, $8)",
                                            params, kPutLeased));
  const auto reached = rows.int64(0, 0);
  if (reached < 0) {
    return fail(detail::pg::explain_missed_lease(*connection, checkpoint.run_id, lease_token, now,
                                                 kPutLeased));
  }
  if (reached > 0)
    return fail(detail::checkpoint_conflict(checkpoint, static_cast<std::uint64_t>(reached)));
  return ok();
}

}  // namespace opsgraph::store
