#include <filesystem>
#include <opsgraph/store/sqlite_store.hpp>
#include <string>
#include <system_error>
#include <utility>

#include "store/sqlite_schema.hpp"
#include "store/sqlite_store_impl.hpp"
#include "store/validation.hpp"

namespace opsgraph::store {
namespace detail {

TaskRecord read_task(const Statement& row) {
  TaskRecord record;
  record.id = row.text(0);
  record.status = row.text(1);
  record.stage = row.text(2);
  record.owner = row.text(3);
  record.idempotency_key = row.optional_text(4);
  record.version = static_cast<std::uint64_t>(row.int64(5));
  record.created_at = from_ms(row.int64(6));
  record.updated_at = from_ms(row.int64(7));
  record.runnable = row.int64(8) != 0;
  if (!row.is_null(9)) {
    record.lease =
        Lease{row.text(9), static_cast<std::uint64_t>(row.int64(10)), from_ms(row.int64(11))};
  }
  record.body = row.text(12);
  return record;
}

result<std::optional<TaskRecord>> select_task(Connection& connection, std::string_view id,
                                              std::string_view operation) {
  OPSGRAPH_TRY(auto stmt,
               connection.prepare(
                   "SELECT " OPSGRAPH_SQLITE_TASK_COLUMNS " FROM tasks WHERE id = ?1", operation));
  stmt.bind(1, id);
  OPSGRAPH_TRY(bool row, stmt.step());
  if (!row)
    return std::optional<TaskRecord>{};
  return std::optional<TaskRecord>{read_task(stmt)};
}

namespace {

result<std::optional<TaskRecord>> select_task_by_key(Connection& connection, std::string_view key,
                                                     std::string_view operation) {
  OPSGRAPH_TRY(auto stmt, connection.prepare("SELECT " OPSGRAPH_SQLITE_TASK_COLUMNS
                                             " FROM tasks WHERE idempotency_key = ?1",
                                             operation));
  stmt.bind(1, key);
  OPSGRAPH_TRY(bool row, stmt.step());
  if (!row)
    return std::optional<TaskRecord>{};
  return std::optional<TaskRecord>{read_task(stmt)};
}

result<void> insert_task(Connection& connection, const TaskRecord& record) {
  constexpr std::string_view kOperation = "create task";
  OPSGRAPH_TRY(auto stmt,
               connection.prepare("INSERT INTO tasks (id, status, stage, owner, idempotency_key, "
                                  "version, created_at, updated_at, runnable, lease_token, body) "
                                  "VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6, ?6, ?7, 0, ?8)",
                                  kOperation));
  stmt.bind(1, record.id)
      .bind(2, record.status)
      .bind(3, record.stage)
      .bind(4, record.owner)
      .bind_optional(5, record.idempotency_key)
      .bind(6, to_ms(record.created_at))
      .bind(7, std::int64_t{record.runnable})
      .bind(8, record.body);
  auto inserted = stmt.run();
  if (!inserted && inserted.error().code == errc::conflict) {
    Error error = inserted.error();
    error.message = "task " + record.id + " exists (" + error.message + ")";
    return fail(std::move(error));
  }
  return inserted;
}

// The CAS itself: the stored row when the version matched, else nullopt. SQLite rewrites an
// index entry whenever an UPDATE sets its column, even to the value it had, so a change that
// keeps the task's status and runnable flag (most of a run's updates) is tried first without
// setting them: two index pages fewer in the write-ahead log each time.
result<std::optional<TaskRecord>> update_if_version(Connection& connection,
                                                    const TaskRecord& record,
                                                    std::uint64_t expected_version, TimePoint now) {
  constexpr const char* kSameStatus =
      "UPDATE tasks SET stage = ?3, body = ?5, version = version + 1, updated_at = ?6 "
      "WHERE id = ?1 AND version = ?7 AND status = ?2 AND runnable = ?4 "
      "RETURNING " OPSGRAPH_SQLITE_TASK_COLUMNS;
  constexpr const char* kAnyStatus =
      "UPDATE tasks SET status = ?2, stage = ?3, runnable = ?4, body = ?5, "
      "version = version + 1, updated_at = ?6 WHERE id = ?1 AND version = ?7 "
      "RETURNING " OPSGRAPH_SQLITE_TASK_COLUMNS;
  for (const char* sql : {kSameStatus, kAnyStatus}) {
    OPSGRAPH_TRY(auto stmt, connection.prepare(sql, "update task"));
    stmt.bind(1, record.id)
        .bind(2, record.status)
        .bind(3, record.stage)
        .bind(4, std::int64_t{record.runnable})
        .bind(5, record.body)
        .bind(6, to_ms(now))
        .bind(7, static_cast<std::int64_t>(expected_version));
    OPSGRAPH_TRY(bool row, stmt.step());
    if (row)
      return std::optional<TaskRecord>{read_task(stmt)};
  }
  return std::optional<TaskRecord>{};
}

// Why a CAS matched no row: the task is missing or at another version (or the query failed).
Error explain_missed_update(Connection& connection, std::string_view id,
                            std::uint64_t expected_version) {
  auto stmt = connection.prepare("SELECT version FROM tasks WHERE id = ?1", "update task");
  if (!stmt)
    return stmt.error();
  stmt.value().bind(1, id);
  auto row = stmt.value().step();
  if (!row)
    return row.error();
  if (!row.value())
    return task_not_found(id);
  return version_conflict(id, expected_version, static_cast<std::uint64_t>(stmt.value().int64(0)));
}

// SQL for a list query: every filter present adds a clause, and its parameters are bound in
// the same order by bind_list_query().
std::string list_sql(const ListQuery& query, bool has_cursor) {
  std::string sql = "SELECT " OPSGRAPH_SQLITE_TASK_COLUMNS " FROM tasks WHERE 1";
  if (!query.statuses.empty()) {
    sql += " AND status IN (?";
    for (std::size_t i = 1; i < query.statuses.size(); ++i)
      sql += ", ?";
    sql += ")";
  }
  if (query.owner)
    sql += " AND owner = ?";
  if (query.created_since)
    sql += " AND created_at >= ?";
  if (query.created_before)
    sql += " AND created_at < ?";
  if (has_cursor)
    sql += " AND (created_at, id) < (?, ?)";
  sql += " ORDER BY created_at DESC, id DESC LIMIT ?";
  return sql;
}

void bind_list_query(Statement& stmt, const ListQuery& query,
                     const std::optional<CursorPosition>& cursor) {
  int index = 0;
  for (const auto& status : query.statuses)
    stmt.bind(++index, status);
  if (query.owner)
    stmt.bind(++index, *query.owner);
  if (query.created_since)
    stmt.bind(++index, to_ms(*query.created_since));
  if (query.created_before)
    stmt.bind(++index, to_ms(*query.created_before));
  if (cursor) {
    stmt.bind(++index, cursor->created_ms);
    stmt.bind(++index, cursor->id);
  }
  // One row more than the page tells whether another page follows.
  stmt.bind(++index, static_cast<std::int64_t>(query.limit + 1));
}

}  // namespace
}  // namespace detail

SqliteStore::SqliteStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

SqliteStore::~SqliteStore() = default;

result<std::unique_ptr<SqliteStore>> SqliteStore::open(std::string_view path, SqliteOptions options,
                                                       const Clock& clock) {
  if (path.empty())
    return fail(errc::invalid_argument, "sqlite store path is empty");
  if (options.checkpoint_history == 0) {
    return fail(errc::invalid_argument, "checkpoint_history must keep at least 1 checkpoint");
  }
  if (options.busy_timeout.count() < 0 || options.busy_timeout > std::chrono::hours{24}) {
    return fail(errc::invalid_argument, "busy_timeout must be between 0 and 24 hours");
  }
  if (options.cache_mib < 1 || options.cache_mib > kSqliteMaxCacheMib) {
    return fail(errc::invalid_argument,
                "cache_mib must be between 1 and " + std::to_string(kSqliteMaxCacheMib));
  }
  if (options.wal_autocheckpoint_pages < 1 ||
      options.wal_autocheckpoint_pages > kSqliteMaxWalPages) {
    return fail(errc::invalid_argument, "wal_autocheckpoint_pages must be between 1 and " +
                                            std::to_string(kSqliteMaxWalPages));
  }
  std::string file(path);
  std::error_code ec;
  if (!options.create_if_missing && !std::filesystem::exists(file, ec)) {
    return fail(errc::not_found, "no sqlite store at " + file);
  }
  OPSGRAPH_TRY(auto connection,
               detail::Connection::open(file, options.create_if_missing, options.busy_timeout));
  OPSGRAPH_TRY(detail::configure(*connection, options));
  OPSGRAPH_TRY(detail::migrate(*connection, file, clock.now()));
  auto impl = std::make_unique<Impl>(std::move(connection), clock, options);
  OPSGRAPH_TRY(impl->wal_copier, detail::WalCopier::start(file, *impl->connection, impl->mutex,
                                                          options.wal_autocheckpoint_pages,
                                                          options.synchronous == SqliteSync::full));
  return std::unique_ptr<SqliteStore>(new SqliteStore(std::move(impl)));
}

result<int> SqliteStore::schema_version() {
  std::lock_guard lock(impl_->mutex);
  return detail::schema_version(*impl_->connection);
}

result<Created> SqliteStore::create(TaskRecord record) {
  return create_with_events(std::move(record), {});
}

result<Created> SqliteStore::create_with_events(TaskRecord record,
                                                std::span<const NewEvent> events) {
  OPSGRAPH_TRY(detail::check_new_task(record));
  OPSGRAPH_TRY(detail::check_new_events(events));
  std::lock_guard lock(impl_->mutex);
  auto& connection = *impl_->connection;
  OPSGRAPH_TRY(auto transaction, detail::WriteTransaction::begin(connection, "create task"));
  if (record.idempotency_key) {
    OPSGRAPH_TRY(auto existing,
                 detail::select_task_by_key(connection, *record.idempotency_key, "create task"));
    if (existing) {
      OPSGRAPH_TRY(transaction.commit());
      return Created{std::move(*existing), false};
    }
  }
  auto now = impl_->clock.now();
  record.version = 1;
  record.created_at = now;
  record.updated_at = now;
  record.lease.reset();
  OPSGRAPH_TRY(detail::insert_task(connection, record));
  OPSGRAPH_TRY(auto appended, detail::append_events(connection, record.id, events, now));
  OPSGRAPH_TRY(transaction.commit());
  return Created{std::move(record), true, std::move(appended)};
}

result<TaskRecord> SqliteStore::get(std::string_view id) {
  std::lock_guard lock(impl_->mutex);
  OPSGRAPH_TRY(auto found, detail::select_task(*impl_->connection, id, "get task"));
  if (!found)
    return fail(detail::task_not_found(id));
  return std::move(*found);
}

result<std::optional<TaskRecord>> SqliteStore::find_by_idempotency_key(std::string_view key) {
  OPSGRAPH_TRY(detail::check_key("idempotency key", key));
  std::lock_guard lock(impl_->mutex);
  return detail::select_task_by_key(*impl_->connection, key, "find task by idempotency key");
}

result<TaskRecord> SqliteStore::update(const TaskRecord& record, std::uint64_t expected_version) {
  OPSGRAPH_TRY(auto updated, update_with_events(record, expected_version, {}));
  return std::move(updated.record);
}

result<Updated> SqliteStore::update_with_events(TaskRecord record, std::uint64_t expected_version,
                                                std::span<const NewEvent> events) {
  OPSGRAPH_TRY(detail::check_new_events(events));
  std::lock_guard lock(impl_->mutex);
  auto& connection = *impl_->connection;
  OPSGRAPH_TRY(auto transaction, detail::WriteTransaction::begin(connection, "update task"));
  const auto now = impl_->clock.now();
  OPSGRAPH_TRY(auto updated, detail::update_if_version(connection, record, expected_version, now));
  if (!updated) {
    return fail(detail::explain_missed_update(connection, record.id, expected_version));
  }
  OPSGRAPH_TRY(auto appended, detail::append_events(connection, record.id, events, now));
  OPSGRAPH_TRY(transaction.commit());
  return Updated{std::move(*updated), std::move(appended)};
}

result<ListPage> SqliteStore::list(const ListQuery& query) {
  OPSGRAPH_TRY(auto cursor, detail::check_list_query(query));
  std::lock_guard lock(impl_->mutex);
  OPSGRAPH_TRY(auto stmt, impl_->connection->prepare(detail::list_sql(query, cursor.has_value()),
                                                     "list tasks"));
  detail::bind_list_query(stmt, query, cursor);
  ListPage page;
  for (;;) {
    OPSGRAPH_TRY(bool row, stmt.step());
    if (!row)
      break;
    if (page.tasks.size() == query.limit) {
      const auto& last = page.tasks.back();
      page.next_cursor = detail::encode_cursor({detail::to_ms(last.created_at), last.id});
      break;
    }
    page.tasks.push_back(detail::read_task(stmt));
  }
  return page;
}

}  // namespace opsgraph::store
