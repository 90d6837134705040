// SqliteStore: the append-only event log of each task.
#include <limits>
#include <opsgraph/store/sqlite_store.hpp>

#include "store/sqlite_store_impl.hpp"
#include "store/validation.hpp"

namespace opsgraph::store {
namespace detail {
namespace {

constexpr std::string_view kAppend = "append event";
constexpr std::string_view kRead = "read events";

// The seq the task's next event gets; not_found when there is no such task.
result<std::uint64_t> next_seq(Connection& connection, std::string_view task_id) {
  OPSGRAPH_TRY(auto stmt, connection.prepare(
                              "SELECT EXISTS (SELECT 1 FROM tasks WHERE id = ?1), "
                              "(SELECT COALESCE(MAX(seq), 0) FROM task_events WHERE task_id = ?1)",
                              kAppend));
  stmt.bind(1, task_id);
  OPSGRAPH_TRY(stmt.step());
  if (stmt.int64(0) == 0)
    return fail(task_not_found(task_id));
  return static_cast<std::uint64_t>(stmt.int64(1)) + 1;
}

result<void> insert_event(Connection& connection, const TaskEvent& event) {
  OPSGRAPH_TRY(auto stmt, connection.prepare("INSERT INTO task_events (task_id, seq, type, data, "
                                             "at) VALUES (?1, ?2, ?3, ?4, ?5)",
                                             kAppend));
  stmt.bind(1, event.task_id)
      .bind(2, static_cast<std::int64_t>(event.seq))
      .bind(3, event.type)
      .bind(4, event.data)
      .bind(5, to_ms(event.at));
  return stmt.run();
}

result<bool> task_exists(Connection& connection, std::string_view task_id) {
  OPSGRAPH_TRY(auto stmt, connection.prepare("SELECT 1 FROM tasks WHERE id = ?1", kRead));
  stmt.bind(1, task_id);
  return stmt.step();
}

}  // namespace

result<std::vector<TaskEvent>> append_events(Connection& connection, std::string_view task_id,
                                             std::span<const NewEvent> events, TimePoint at) {
  std::vector<TaskEvent> appended;
  if (events.empty())
    return appended;
  OPSGRAPH_TRY(auto seq, next_seq(connection, task_id));
  appended.reserve(events.size());
  for (const auto& event : events) {
    appended.push_back(TaskEvent{std::string(task_id), seq++, event.type, event.data, at});
    OPSGRAPH_TRY(insert_event(connection, appended.back()));
  }
  return appended;
}

}  // namespace detail

result<TaskEvent> SqliteStore::append_event(std::string_view task_id, std::string_view type,
                                            std::string_view data_json) {
  OPSGRAPH_TRY(detail::check_key("event type", type));
  std::lock_guard lock(impl_->mutex);
  auto& connection = *impl_->connection;
  OPSGRAPH_TRY(auto transaction, detail::WriteTransaction::begin(connection, detail::kAppend));
  const NewEvent event{std::string(type), std::string(data_json)};
  OPSGRAPH_TRY(auto appended,
               detail::append_events(connection, task_id, {&event, 1}, impl_->clock.now()));
  OPSGRAPH_TRY(transaction.commit());
  return std::move(appended.front());
}

result<std::vector<TaskEvent>> SqliteStore::events(std::string_view task_id,
                                                   std::uint64_t after_seq, std::size_t limit) {
  OPSGRAPH_TRY(detail::check_event_page(limit));
  std::lock_guard lock(impl_->mutex);
  auto& connection = *impl_->connection;
  std::vector<TaskEvent> page;
  {
    OPSGRAPH_TRY(auto stmt, connection.prepare("SELECT seq, type, data, at FROM task_events "
                                               "WHERE task_id = ?1 AND seq > ?2 "
                                               "ORDER BY seq LIMIT ?3",
                                               detail::kRead));
    auto after = std::min<std::uint64_t>(after_seq, std::numeric_limits<std::int64_t>::max());
    stmt.bind(1, task_id)
        .bind(2, static_cast<std::int64_t>(after))
        .bind(3, static_cast<std::int64_t>(limit));
    for (;;) {
      OPSGRAPH_TRY(bool row, stmt.step());
      if (!row)
        break;
      page.push_back(TaskEvent{std::string(task_id), static_cast<std::uint64_t>(stmt.int64(0)),
                               stmt.text(1), stmt.text(2), detail::from_ms(stmt.int64(3))});
    }
  }
  // An empty page is either the end of the log or an unknown task; only the latter is an error.
  if (page.empty()) {
    OPSGRAPH_TRY(bool exists, detail::task_exists(connection, task_id));
    if (!exists)
      return fail(detail::task_not_found(task_id));
  }
  return page;
}

}  // namespace opsgraph::store
