// PostgresStore: opening, and the task records themselves (create, get, update, list).
#include <opsgraph/store/postgres_store.hpp>
#include <string>
#include <utility>

#include "store/postgres/pg_error.hpp"
#include "store/postgres/pg_schema.hpp"
#include "store/postgres/pg_store_impl.hpp"
#include "store/validation.hpp"

namespace opsgraph::store {
namespace detail::pg {

TaskRecord read_task(const Rows& rows, int row) {
  TaskRecord record;
  record.id = rows.text(row, 0);
  record.status = rows.text(row, 1);
  record.stage = rows.text(row, 2);
  record.owner = rows.text(row, 3);
  record.idempotency_key = rows.optional_text(row, 4);
  record.version = static_cast<std::uint64_t>(rows.int64(row, 5));
  record.created_at = from_ms(rows.int64(row, 6));
  record.updated_at = from_ms(rows.int64(row, 7));
  record.runnable = rows.boolean(row, 8);
  if (!rows.is_null(row, 9)) {
    record.lease = Lease{rows.text(row, 9), static_cast<std::uint64_t>(rows.int64(row, 10)),
                         from_ms(rows.int64(row, 11))};
  }
  record.body = rows.text(row, 12);
  return record;
}

result<std::optional<TaskRecord>> select_task(Connection& connection, std::string_view id,
                                              std::string_view operation) {
  OPSGRAPH_TRY(auto rows,
               connection.query("SELECT " OPSGRAPH_PG_TASK_COLUMNS " FROM tasks WHERE id = $1",
                                Params().add(id), operation));
  if (rows.empty())
    return std::optional<TaskRecord>{};
  return std::optional<TaskRecord>{read_task(rows, 0)};
}

namespace {

constexpr std::string_view kCreate = "create task";

result<std::optional<TaskRecord>> select_task_by_key(Connection& connection, std::string_view key,
                                                     std::string_view operation) {
  OPSGRAPH_TRY(auto rows, connection.query("SELECT " OPSGRAPH_PG_TASK_COLUMNS
                                           " FROM tasks WHERE idempotency_key = $1",
                                           Params().add(key), operation));
  if (rows.empty())
    return std::optional<TaskRecord>{};
  return std::optional<TaskRecord>{read_task(rows, 0)};
}

// Inserts the task; false when its idempotency key was already taken (nothing inserted).
result<bool> insert_task(Connection& connection, const TaskRecord& record) {
  Params params;
  params.add(record.id)
      .add(record.status)
      .add(record.stage)
      .add(record.owner)
      .add_optional(record.idempotency_key)
      .add(to_ms(record.created_at))
      .add_bool(record.runnable)
      .add(record.body);
  // ON CONFLICT names only the key: a taken id still fails, with a unique violation.
  auto inserted = connection.query(
      "INSERT INTO tasks (id, status, stage, owner, idempotency_key, version, created_at, "
      "updated_at, runnable, body) VALUES ($1, $2, $3, $4, $5, 1, $6, $6, $7, $8) "
      "ON CONFLICT (idempotency_key) DO NOTHING RETURNING 1",
      params, kCreate);
  if (!inserted) {
    Error error = inserted.error();
    if (error.code == errc::conflict)
      error.message = "task " + record.id + " exists (" + error.message + ")";
    return fail(std::move(error));
  }
  return !inserted.value().empty();
}

result<std::optional<TaskRecord>> update_if_version(Connection& connection,
                                                    const TaskRecord& record,
                                                    std::uint64_t expected_version, TimePoint now) {
  Params params;
  params.add(record.id)
      .add(record.status)
      .add(record.stage)
      .add_bool(record.runnable)
      .add(record.body)
      .add(to_ms(now))
      .add(static_cast<std::int64_t>(expected_version));
  OPSGRAPH_TRY(auto rows, connection.query("UPDATE tasks SET status = $2, stage = $3, "
                                           "runnable = $4, body = $5, version = version + 1, "
                                           "updated_at = $6 WHERE id = $1 AND version = $7 "
                                           "RETURNING " OPSGRAPH_PG_TASK_COLUMNS,
                                           params, "update task"));
  if (rows.empty())
    return std::optional<TaskRecord>{};
  return std::optional<TaskRecord>{read_task(rows, 0)};
}

// Why a compare-and-swap matched no row: the task is missing or at another version.
Error explain_missed_update(Connection& connection, std::string_view id,
                            std::uint64_t expected_version) {
  auto rows =
      connection.query("SELECT version FROM tasks WHERE id = $1", Params().add(id), "update task");
  if (!rows)
    return rows.error();
  if (rows.value().empty())
    return task_not_found(id);
  return version_conflict(id, expected_version,
                          static_cast<std::uint64_t>(rows.value().int64(0, 0)));
}

// A text[] literal: every element double-quoted, with backslashes and quotes escaped.
std::string text_array(const std::vector<std::string>& values) {
  std::string literal = "{";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0)
      literal += ',';
    literal += '"';
    for (char c : values[i]) {
      if (c == '"' || c == '\\')
        literal += '\\';
      literal += c;
    }
    literal += '"';
  }
  return literal + "}";
}

// The SQL of a list query and its parameters: each filter present adds a clause. At most 32
// distinct texts, so each connection prepares a handful of statements.
std::string list_sql(const ListQuery& query, const std::optional<CursorPosition>& cursor,
                     Params& params) {
  std::string sql = "SELECT " OPSGRAPH_PG_TASK_COLUMNS " FROM tasks WHERE true";
  int index = 0;
  // Appended, not `"$" + std::to_string(...)`: g++ 12 at -O3 warns falsely (-Wrestrict) on that.
  auto next = [&] {
    std::string placeholder(1, '$');
    placeholder += std::to_string(++index);
    return placeholder;
  };
  if (!query.statuses.empty()) {
    sql += " AND status = ANY (" + next() + "::text[])";
    params.add(text_array(query.statuses));
  }
  if (query.owner) {
    sql += " AND owner = " + next();
    params.add(*query.owner);
  }
  if (query.created_since) {
    sql += " AND created_at >= " + next();
    params.add(to_ms(*query.created_since));
  }
  if (query.created_before) {
    sql += " AND created_at < " + next();
    params.add(to_ms(*query.created_before));
  }
  if (cursor) {
    auto at = next();
    sql += " AND (created_at, id) < (" + at + "::bigint, " + next() + "::text)";
    params.add(cursor->created_ms).add(cursor->id);
  }
  sql += " ORDER BY created_at DESC, id DESC LIMIT " + next();
  // One row more than the page tells whether another page follows.
  params.add(static_cast<std::int64_t>(query.limit + 1));
  return sql;
}

}  // namespace
}  // namespace detail::pg

PostgresStore::PostgresStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

PostgresStore::~PostgresStore() = default;

namespace {

result<void> check_options(const PostgresOptions& options) {
  using std::chrono::hours;
  using std::chrono::milliseconds;
  if (options.pool_size == 0 || options.pool_size > 64)
    return fail(errc::invalid_argument, "pool_size must be between 1 and 64");
  if (options.checkpoint_history == 0) {
    return fail(errc::invalid_argument, "checkpoint_history must keep at least 1 checkpoint");
  }
  auto in_range = [](milliseconds value, milliseconds low) {
    return value >= low && value <= hours{24};
  };
  if (!in_range(options.connect_timeout, milliseconds{1}) ||
      !in_range(options.acquire_timeout, milliseconds{0}) ||
      !in_range(options.reconnect_timeout, milliseconds{0}) ||
      !in_range(options.reconnect_backoff_min, milliseconds{1}) ||
      !in_range(options.reconnect_backoff_max, options.reconnect_backoff_min) ||
      !in_range(options.poll_interval, milliseconds{1})) {
    return fail(errc::invalid_argument,
                "postgres timeouts must be between 1 ms (0 for acquire and reconnect) and 24 "
                "hours, and reconnect_backoff_max at least reconnect_backoff_min");
  }
  return detail::pg::check_schema_name(options.schema);
}

}  // namespace

result<std::unique_ptr<PostgresStore>> PostgresStore::open(std::string_view conninfo,
                                                           PostgresOptions options,
                                                           const Clock& clock) {
  OPSGRAPH_TRY(check_options(options));
  std::string target(conninfo);
  OPSGRAPH_TRY(detail::pg::check_conninfo(target));
  detail::pg::ConnectSettings settings;
  settings.conninfo = std::move(target);
  settings.schema = options.schema;
  settings.connect_timeout = options.connect_timeout;
  settings.backoff_min = options.reconnect_backoff_min;
  settings.backoff_max = options.reconnect_backoff_max;
  settings.reconnect_timeout = options.reconnect_timeout;
  auto impl = std::make_unique<Impl>(std::move(settings), std::move(options), clock);
  {
    OPSGRAPH_TRY(auto connection, impl->pool.acquire("open"));
    OPSGRAPH_TRY(detail::pg::migrate(*connection, impl->options.schema, clock.now()));
  }
  return std::unique_ptr<PostgresStore>(new PostgresStore(std::move(impl)));
}

result<int> PostgresStore::schema_version() {
  OPSGRAPH_TRY(auto connection, impl_->pool.acquire("read schema version"));
  return detail::pg::schema_version(*connection, impl_->options.schema);
}

result<Created> PostgresStore::create(TaskRecord record) {
  return create_with_events(std::move(record), {});
}

result<Created> PostgresStore::create_with_events(TaskRecord record,
                                                  std::span<const NewEvent> events) {
  OPSGRAPH_TRY(detail::check_new_task(record));
  OPSGRAPH_TRY(detail::check_new_events(events));
  OPSGRAPH_TRY(auto connection, impl_->pool.acquire(detail::pg::kCreate));
  auto now = impl_->clock.now();
  record.version = 1;
  record.created_at = now;
  record.updated_at = now;
  record.lease.reset();
  // A known key usually means a retried request: look first, without inserting.
  if (record.idempotency_key) {
    OPSGRAPH_TRY(auto existing, detail::pg::select_task_by_key(*connection, *record.idempotency_key,
                                                               detail::pg::kCreate));
    if (existing)
      return Created{std::move(*existing), false};
  }
  // A lone insert is one statement, atomic by itself; events make it a transaction, so a worker
  // woken by the insert (its notice goes out at commit) finds them stored.
  std::optional<detail::pg::Transaction> transaction;
  if (!events.empty()) {
    OPSGRAPH_TRY(auto begun, detail::pg::Transaction::begin(*connection, detail::pg::kCreate));
    transaction.emplace(std::move(begun));
  }
  OPSGRAPH_TRY(bool inserted, detail::pg::insert_task(*connection, record));
  if (inserted) {
    OPSGRAPH_TRY(auto appended, detail::pg::append_events(*connection, record.id, events, now));
    if (transaction) {
      OPSGRAPH_TRY(transaction->commit());
    }
    return Created{std::move(record), true, std::move(appended)};
  }
  transaction.reset();  // nothing was written: roll back before looking
  // Another caller inserted the key since we looked; its row is committed now.
  OPSGRAPH_TRY(auto existing, detail::pg::select_task_by_key(*connection, *record.idempotency_key,
                                                             detail::pg::kCreate));
  if (!existing) {
    return fail(errc::storage, "postgres: create task: idempotency key " + *record.idempotency_key +
                                   " is taken but its task is gone");
  }
  return Created{std::move(*existing), false};
}

result<TaskRecord> PostgresStore::get(std::string_view id) {
  OPSGRAPH_TRY(auto connection, impl_->pool.acquire("get task"));
  OPSGRAPH_TRY(auto found, detail::pg::select_task(*connection, id, "get task"));
  if (!found)
    return fail(detail::task_not_found(id));
  return std::move(*found);
}

result<std::optional<TaskRecord>> PostgresStore::find_by_idempotency_key(std::string_view key) {
  OPSGRAPH_TRY(detail::check_key("idempotency key", key));
  OPSGRAPH_TRY(auto connection, impl_->pool.acquire("find task by idempotency key"));
  return detail::pg::select_task_by_key(*connection, key, "find task by idempotency key");
}

result<TaskRecord> PostgresStore::update(const TaskRecord& record, std::uint64_t expected_version) {
  OPSGRAPH_TRY(auto updated, update_with_events(record, expected_version, {}));
  return std::move(updated.record);
}

result<Updated> PostgresStore::update_with_events(TaskRecord record, std::uint64_t expected_version,
                                                  std::span<const NewEvent> events) {
  OPSGRAPH_TRY(detail::check_new_events(events));
  constexpr std::string_view kOperation = "update task";
  OPSGRAPH_TRY(auto connection, impl_->pool.acquire(kOperation));
  // A lone update is one statement, atomic by itself; events make it a transaction.
  std::optional<detail::pg::Transaction> transaction;
  if (!events.empty()) {
    OPSGRAPH_TRY(auto begun, detail::pg::Transaction::begin(*connection, kOperation));
    transaction.emplace(std::move(begun));
  }
  const auto now = impl_->clock.now();
  OPSGRAPH_TRY(auto updated,
               detail::pg::update_if_version(*connection, record, expected_version, now));
  if (!updated) {
    return fail(detail::pg::explain_missed_update(*connection, record.id, expected_version));
  }
  OPSGRAPH_TRY(auto appended, detail::pg::append_events(*connection, record.id, events, now));
  if (transaction) {
    OPSGRAPH_TRY(transaction->commit());
  }
  return Updated{std::move(*updated), std::move(appended)};
}

result<ListPage> PostgresStore::list(const ListQuery& query) {
  OPSGRAPH_TRY(auto cursor, detail::check_list_query(query));
  detail::pg::Params params;
  auto sql = detail::pg::list_sql(query, cursor, params);
  OPSGRAPH_TRY(auto connection, impl_->pool.acquire("list tasks"));
  OPSGRAPH_TRY(auto rows, connection->query(sql, params, "list tasks"));
  ListPage page;
  for (int row = 0; row < rows.size(); ++row) {
    if (page.tasks.size() == query.limit) {
      const auto& last = page.tasks.back();
      page.next_cursor = detail::encode_cursor({detail::pg::to_ms(last.created_at), last.id});
      break;
    }
    page.tasks.push_back(detail::pg::read_task(rows, row));
  }
  return page;
}

}  // namespace opsgraph::store
