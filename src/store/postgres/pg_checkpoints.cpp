// PostgresStore as a graph Checkpointer: a bounded history of checkpoints per run.
#include <algorithm>
#include <limits>
#include <opsgraph/core/json_writer.hpp>
#include <opsgraph/store/postgres_store.hpp>

#include "store/postgres/pg_store_impl.hpp"
#include "store/validation.hpp"

namespace opsgraph::store {
namespace detail::pg {
namespace {

constexpr std::string_view kPut = "put checkpoint";

Checkpoint read_checkpoint(const Rows& rows, int row) {
  return Checkpoint{rows.text(row, 0), static_cast<std::uint64_t>(rows.int64(row, 1)),
                    rows.text(row, 2), rows.text(row, 3), from_ms(rows.int64(row, 4))};
}

// Writes the checkpoint through opsgraph_put_checkpoint (schema migration 1): one statement,
// so one round trip and one implicit transaction. Returns the step the run had already reached
// when that is not lower than checkpoint.step (nothing written then).
result<std::optional<std::uint64_t>> put_checkpoint(Connection& connection,
                                                    const Checkpoint& checkpoint,
                                                    TimePoint created_at, std::size_t keep) {
  Params params;
  params.add(checkpoint.run_id)
      .add(static_cast<std::int64_t>(checkpoint.step))
      .add(checkpoint.graph)
      .add(checkpoint.data)
      .add(to_ms(created_at))
      .add(static_cast<std::int64_t>(
          std::min<std::uint64_t>(keep, std::numeric_limits<std::int64_t>::max())));
  OPSGRAPH_TRY(auto rows, connection.query("SELECT opsgraph_put_checkpoint($1, $2, $3, $4, $5, $6)",
                                           params, kPut));
  auto reached = rows.int64(0, 0);
  if (reached == 0)
    return std::optional<std::uint64_t>{};
  return std::optional<std::uint64_t>{static_cast<std::uint64_t>(reached)};
}

std::int64_t clamp_limit(std::size_t limit) {
  return static_cast<std::int64_t>(
      std::min<std::uint64_t>(limit, std::numeric_limits<std::int64_t>::max()));
}

}  // namespace
}  // namespace detail::pg

result<void> PostgresStore::put(const Checkpoint& checkpoint) {
  OPSGRAPH_TRY(detail::check_checkpoint(checkpoint));
  OPSGRAPH_TRY(auto connection, impl_->pool.acquire(detail::pg::kPut));
  auto created_at = detail::checkpoint_time(checkpoint, impl_->clock.now());
  OPSGRAPH_TRY(auto reached, detail::pg::put_checkpoint(*connection, checkpoint, created_at,
                                                        impl_->options.checkpoint_history));
  if (reached)
    return fail(detail::checkpoint_conflict(checkpoint, *reached));
  return ok();
}

result<std::optional<Checkpoint>> PostgresStore::latest(std::string_view run_id) {
  OPSGRAPH_TRY(auto connection, impl_->pool.acquire("read latest checkpoint"));
  OPSGRAPH_TRY(auto rows,
               connection->query("SELECT run_id, step, graph, data, created_at "
                                 "FROM checkpoints WHERE run_id = $1 "
                                 "ORDER BY step DESC LIMIT 1",
                                 detail::pg::Params().add(run_id), "read latest checkpoint"));
  if (rows.empty())
    return std::optional<Checkpoint>{};
  return std::optional<Checkpoint>{detail::pg::read_checkpoint(rows, 0)};
}

result<std::vector<Checkpoint>> PostgresStore::history(std::string_view run_id, std::size_t limit) {
  OPSGRAPH_TRY(auto connection, impl_->pool.acquire("read checkpoint history"));
  detail::pg::Params params;
  params.add(run_id).add(detail::pg::clamp_limit(limit));
  OPSGRAPH_TRY(auto rows, connection->query("SELECT run_id, step, graph, data, created_at FROM "
                                            "(SELECT * FROM checkpoints WHERE run_id = $1 "
                                            "ORDER BY step DESC LIMIT $2) newest ORDER BY step",
                                            params, "read checkpoint history"));
  std::vector<Checkpoint> checkpoints;
  checkpoints.reserve(static_cast<std::size_t>(rows.size()));
  for (int row = 0; row < rows.size(); ++row)
    checkpoints.push_back(detail::pg::read_checkpoint(rows, row));
  return checkpoints;
}

result<void> PostgresStore::erase(std::string_view run_id) {
  const std::string id(run_id);
  return erase_runs({&id, 1});
}

result<void> PostgresStore::erase_runs(std::span<const std::string> run_ids) {
  if (run_ids.empty())
    return ok();
  // The ids go as one JSON array: a single parameter however many runs there are.
  json::Writer ids(run_ids.size() * 40);
  ids.begin_array();
  for (const auto& run_id : run_ids)
    ids.string(run_id);
  ids.end_array();
  OPSGRAPH_TRY(auto connection, impl_->pool.acquire("erase checkpoints"));
  // One statement: all the deletes commit together.
  OPSGRAPH_TRY(connection->query(
      "WITH ids AS (SELECT jsonb_array_elements_text($1::jsonb) AS run_id), "
      "gone AS (DELETE FROM checkpoints WHERE run_id IN (SELECT run_id FROM ids)) "
      "DELETE FROM checkpoint_runs WHERE run_id IN (SELECT run_id FROM ids)",
      detail::pg::Params().add(ids.view()), "erase checkpoints"));
  return ok();
}

}  // namespace opsgraph::store
