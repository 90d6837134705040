// SqliteStore as a graph Checkpointer: a bounded history of checkpoints per run.
#include <algorithm>
#include <limits>
#include <opsgraph/store/sqlite_store.hpp>

#include "store/sqlite_store_impl.hpp"
#include "store/validation.hpp"

namespace opsgraph::store {
namespace detail {
namespace {

constexpr std::string_view kPut = "put checkpoint";

Checkpoint read_checkpoint(const Statement& row) {
  return Checkpoint{row.text(0), static_cast<std::uint64_t>(row.int64(1)), row.text(2), row.text(3),
                    from_ms(row.int64(4))};
}

// The run's highest step, 0 when it has none.
result<std::uint64_t> latest_step(Connection& connection, std::string_view run_id) {
  OPSGRAPH_TRY(
      auto stmt,
      connection.prepare("SELECT COALESCE(MAX(step), 0) FROM checkpoints WHERE run_id = ?1", kPut));
  stmt.bind(1, run_id);
  OPSGRAPH_TRY(stmt.step());
  return static_cast<std::uint64_t>(stmt.int64(0));
}

result<void> insert_checkpoint(Connection& connection, const Checkpoint& checkpoint,
                               TimePoint created_at) {
  OPSGRAPH_TRY(auto stmt, connection.prepare("INSERT INTO checkpoints (run_id, step, graph, data, "
                                             "created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                                             kPut));
  stmt.bind(1, checkpoint.run_id)
      .bind(2, static_cast<std::int64_t>(checkpoint.step))
      .bind(3, checkpoint.graph)
      .bind(4, checkpoint.data)
      .bind(5, to_ms(created_at));
  return stmt.run();
}

// Deletes all but the run's `keep` newest checkpoints.
result<void> prune(Connection& connection, std::string_view run_id, std::size_t keep) {
  OPSGRAPH_TRY(auto stmt, connection.prepare("DELETE FROM checkpoints WHERE run_id = ?1 AND step < "
                                             "(SELECT step FROM checkpoints WHERE run_id = ?1 "
                                             "ORDER BY step DESC LIMIT 1 OFFSET ?2)",
                                             kPut));
  stmt.bind(1, run_id).bind(2, static_cast<std::int64_t>(keep - 1));
  return stmt.run();
}

std::int64_t clamp_limit(std::size_t limit) {
  return static_cast<std::int64_t>(
      std::min<std::uint64_t>(limit, std::numeric_limits<std::int64_t>::max()));
}

}  // namespace

result<void> write_checkpoint(Connection& connection, const Checkpoint& checkpoint, TimePoint now,
                              std::size_t keep) {
  OPSGRAPH_TRY(auto latest, latest_step(connection, checkpoint.run_id));
  if (latest >= checkpoint.step)
    return fail(checkpoint_conflict(checkpoint, latest));
  OPSGRAPH_TRY(insert_checkpoint(connection, checkpoint, checkpoint_time(checkpoint, now)));
  return prune(connection, checkpoint.run_id, keep);
}

}  // namespace detail

result<void> SqliteStore::put(const Checkpoint& checkpoint) {
  OPSGRAPH_TRY(detail::check_checkpoint(checkpoint));
  std::lock_guard lock(impl_->mutex);
  auto& connection = *impl_->connection;
  OPSGRAPH_TRY(auto transaction, detail::WriteTransaction::begin(connection, detail::kPut));
  OPSGRAPH_TRY(detail::write_checkpoint(connection, checkpoint, impl_->clock.now(),
                                        impl_->options.checkpoint_history));
  return transaction.commit();
}

result<std::optional<Checkpoint>> SqliteStore::latest(std::string_view run_id) {
  std::lock_guard lock(impl_->mutex);
  OPSGRAPH_TRY(auto stmt, impl_->connection->prepare(
                              "SELECT run_id, step, graph, data, created_at FROM checkpoints "
                              "WHERE run_id = ?1 ORDER BY step DESC LIMIT 1",
                              "read latest checkpoint"));
  stmt.bind(1, run_id);
  OPSGRAPH_TRY(bool row, stmt.step());
  if (!row)
    return std::optional<Checkpoint>{};
  return std::optional<Checkpoint>{detail::read_checkpoint(stmt)};
}

result<std::vector<Checkpoint>> SqliteStore::history(std::string_view run_id, std::size_t limit) {
  std::lock_guard lock(impl_->mutex);
  OPSGRAPH_TRY(auto stmt,
               impl_->connection->prepare("SELECT run_id, step, graph, data, created_at FROM "
                                          "(SELECT * FROM checkpoints WHERE run_id = ?1 "
                                          "ORDER BY step DESC LIMIT ?2) ORDER BY step",
                                          "read checkpoint history"));
  stmt.bind(1, run_id).bind(2, detail::clamp_limit(limit));
  std::vector<Checkpoint> checkpoints;
  for (;;) {
    OPSGRAPH_TRY(bool row, stmt.step());
    if (!row)
      break;
    checkpoints.push_back(detail::read_checkpoint(stmt));
  }
  return checkpoints;
}

result<void> SqliteStore::erase(std::string_view run_id) {
  const std::string id(run_id);
  return erase_runs({&id, 1});
}

result<void> SqliteStore::erase_runs(std::span<const std::string> run_ids) {
  if (run_ids.empty())
    return ok();
  std::lock_guard lock(impl_->mutex);
  auto& connection = *impl_->connection;
  OPSGRAPH_TRY(auto transaction, detail::WriteTransaction::begin(connection, "erase checkpoints"));
  for (const auto& run_id : run_ids) {
    OPSGRAPH_TRY(auto stmt, connection.prepare("DELETE FROM checkpoints WHERE run_id = ?1",
                                               "erase checkpoints"));
    stmt.bind(1, run_id);
    OPSGRAPH_TRY(stmt.run());
  }
  return transaction.commit();
}

}  // namespace opsgraph::store
