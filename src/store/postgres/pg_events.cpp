// PostgresStore: the append-only event log of each task.
#include <algorithm>
#include <limits>
#include <opsgraph/store/postgres_store.hpp>

#include "store/postgres/pg_error.hpp"
#include "store/postgres/pg_store_impl.hpp"
#include "store/validation.hpp"

namespace opsgraph::store {
namespace detail::pg {
namespace {

constexpr std::string_view kAppend = "append event";
constexpr std::string_view kRead = "read events";

// One statement, so one implicit transaction: the head row's lock serialises appenders of one
// task (ON CONFLICT DO UPDATE waits for the holder to commit), and a failed insert rolls the
// head back with it, so seq has no gaps. An unknown task fails the head's foreign key.
constexpr const char* kAppendSql =
    "WITH head AS (INSERT INTO task_event_heads AS h (task_id, last_seq) VALUES ($1, 1) "
    "ON CONFLICT (task_id) DO UPDATE SET last_seq = h.last_seq + 1 RETURNING last_seq) "
    "INSERT INTO task_events (task_id, seq, type, data, at) "
    "SELECT $1, last_seq, $2, $3, $4 FROM head RETURNING seq";

result<bool> task_exists(Connection& connection, std::string_view task_id) {
  OPSGRAPH_TRY(auto rows,
               connection.query("SELECT 1 FROM tasks WHERE id = $1", Params().add(task_id), kRead));
  return !rows.empty();
}

}  // namespace

result<std::vector<TaskEvent>> append_events(Connection& connection, std::string_view task_id,
                                             std::span<const NewEvent> events, TimePoint at) {
  std::vector<TaskEvent> appended;
  appended.reserve(events.size());
  for (const auto& event : events) {
    Params params;
    params.add(task_id).add(event.type).add(event.data).add(to_ms(at));
    auto inserted = connection.query(kAppendSql, params, kAppend);
    if (!inserted) {
      if (has_sqlstate(inserted.error(), kForeignKeyViolation))
        return fail(task_not_found(task_id));
      return fail(inserted.error());
    }
    appended.push_back(TaskEvent{std::string(task_id),
                                 static_cast<std::uint64_t>(inserted.value().int64(0, 0)),
                                 event.type, event.data, at});
  }
  return appended;
}

}  // namespace detail::pg

result<TaskEvent> PostgresStore::append_event(std::string_view task_id, std::string_view type,
                                              std::string_view data_json) {
  OPSGRAPH_TRY(detail::check_key("event type", type));
  OPSGRAPH_TRY(auto connection, impl_->pool.acquire(detail::pg::kAppend));
  const NewEvent event{std::string(type), std::string(data_json)};
  OPSGRAPH_TRY(auto appended,
               detail::pg::append_events(*connection, task_id, {&event, 1}, impl_->clock.now()));
  return std::move(appended.front());
}

result<std::vector<TaskEvent>> PostgresStore::events(std::string_view task_id,
                                                     std::uint64_t after_seq, std::size_t limit) {
  OPSGRAPH_TRY(detail::check_event_page(limit));
  OPSGRAPH_TRY(auto connection, impl_->pool.acquire(detail::pg::kRead));
  auto after = std::min<std::uint64_t>(after_seq, std::numeric_limits<std::int64_t>::max());
  detail::pg::Params params;
  params.add(task_id).add(static_cast<std::int64_t>(after)).add(static_cast<std::int64_t>(limit));
  OPSGRAPH_TRY(auto rows, connection->query("SELECT seq, type, data, at FROM task_events "
                                            "WHERE task_id = $1 AND seq > $2 "
                                            "ORDER BY seq LIMIT $3",
                                            params, detail::pg::kRead));
  std::vector<TaskEvent> page;
  page.reserve(static_cast<std::size_t>(rows.size()));
  for (int row = 0; row < rows.size(); ++row) {
    page.push_back(TaskEvent{std::string(task_id), static_cast<std::uint64_t>(rows.int64(row, 0)),
                             rows.text(row, 1), rows.text(row, 2),
                             detail::pg::from_ms(rows.int64(row, 3))});
  }
  // An empty page is either the end of the log or an unknown task; only the latter is an error.
  if (page.empty()) {
    OPSGRAPH_TRY(bool exists, detail::pg::task_exists(*connection, task_id));
    if (!exists)
      return fail(detail::task_not_found(task_id));
  }
  return page;
}

}  // namespace opsgraph::store
