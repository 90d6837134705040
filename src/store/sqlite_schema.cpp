#include "store/sqlite_schema.hpp"

#include <array>
#include <string>
#include <thread>

namespace opsgraph::store::detail {
namespace {

struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;
};

// Append only: a shipped migration never changes, and its version is its position.
constexpr std::array kMigrations{
    Migration{1, "tasks, events, checkpoints", R"sql(
CREATE TABLE tasks (
  id TEXT PRIMARY KEY NOT NULL,
  status TEXT NOT NULL,
  stage TEXT NOT NULL,
  owner TEXT NOT NULL,
  idempotency_key TEXT UNIQUE,
  version INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  runnable INTEGER NOT NULL,
  lease_worker TEXT,
  lease_token INTEGER NOT NULL,
  lease_expires_at INTEGER,
  body TEXT NOT NULL
) STRICT;
CREATE INDEX tasks_by_created ON tasks (created_at, id);
CREATE INDEX tasks_by_status ON tasks (status, created_at, id);
CREATE INDEX tasks_by_owner ON tasks (owner, created_at, id);
CREATE INDEX tasks_claimable ON tasks (created_at, id) WHERE runnable = 1;

CREATE TABLE task_events (
  task_id TEXT NOT NULL REFERENCES tasks (id),
  seq INTEGER NOT NULL,
  type TEXT NOT NULL,
  data TEXT NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY (task_id, seq)
) STRICT;
CREATE TRIGGER task_events_no_update BEFORE UPDATE ON task_events
BEGIN SELECT RAISE(ABORT, 'task events are append-only'); END;
CREATE TRIGGER task_events_no_delete BEFORE DELETE ON task_events
BEGIN SELECT RAISE(ABORT, 'task events are append-only'); END;

CREATE TABLE checkpoints (
  run_id TEXT NOT NULL,
  step INTEGER NOT NULL,
  graph TEXT NOT NULL,
  data TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (run_id, step)
) STRICT;
)sql"},
    Migration{2, "api keys", R"sql(
CREATE TABLE api_keys (
  id TEXT PRIMARY KEY NOT NULL,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  secret_hash TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER
) STRICT;
CREATE UNIQUE INDEX api_keys_by_hash ON api_keys (secret_hash);
CREATE INDEX api_keys_by_created ON api_keys (created_at, id);
)sql"},
    Migration{3, "who revoked an api key", R"sql(
ALTER TABLE api_keys ADD COLUMN revoked_by TEXT;
)sql"},
    // claim() walked every runnable task, leased ones included, from the oldest: with a thousand
    // tasks in flight, a thousand rows per claim. Unleased and leased runnable tasks now have an
    // index each.
    Migration{4, "claim without walking leased tasks", R"sql(
CREATE INDEX tasks_unleased ON tasks (created_at, id) WHERE runnable = 1 AND lease_expires_at IS NULL;
CREATE INDEX tasks_lease_expiry ON tasks (lease_expires_at)
  WHERE runnable = 1 AND lease_expires_at IS NOT NULL;
DROP INDEX tasks_claimable;
)sql"},
    // Events were rows of a rowid table plus entries of its primary key's index: two b-trees, so
    // each append wrote two pages to the log. Kept in the primary key's order instead, one. (The
    // rows are small; a task's events now also sit together.) Dropping the old table takes its
    // triggers along, and its implicit delete fires none of them.
    Migration{5, "events kept in their key's order", R"sql(
CREATE TABLE task_events_by_key (
  task_id TEXT NOT NULL REFERENCES tasks (id),
  seq INTEGER NOT NULL,
  type TEXT NOT NULL,
  data TEXT NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY (task_id, seq)
) STRICT, WITHOUT ROWID;
INSERT INTO task_events_by_key (task_id, seq, type, data, at)
  SELECT task_id, seq, type, data, at FROM task_events;
DROP TABLE task_events;
ALTER TABLE task_events_by_key RENAME TO task_events;
CREATE TRIGGER task_events_no_update BEFORE UPDATE ON task_events
BEGIN SELECT RAISE(ABORT, 'task events are append-only'); END;
CREATE TRIGGER task_events_no_delete BEFORE DELETE ON task_events
BEGIN SELECT RAISE(ABORT, 'task events are append-only'); END;
)sql"},
};
static_assert(kMigrations.back().version == kSqliteSchemaVersion);

constexpr std::string_view kOperation = "migrate schema";

result<std::string> journal_mode_wal(Connection& connection) {
  OPSGRAPH_TRY(auto stmt, connection.prepare("PRAGMA journal_mode = WAL", "enable WAL"));
  OPSGRAPH_TRY(bool row, stmt.step());
  if (!row)
    return fail(errc::storage, "sqlite: enable WAL: no answer from PRAGMA journal_mode");
  return stmt.text(0);
}

result<void> enable_wal(Connection& connection, std::chrono::milliseconds busy_timeout) {
  // Changing the journal mode needs the file to itself, and SQLite does not always wait for it
  // through the busy handler; retry for as long as a write would wait.
  auto deadline = std::chrono::steady_clock::now() + busy_timeout;
  for (;;) {
    auto mode = journal_mode_wal(connection);
    if (mode) {
      if (mode.value() == "wal")
        return ok();
      return fail(errc::storage, "sqlite: enable WAL: the file stays in journal mode '" +
                                     mode.value() + "' (WAL needs a local file system)");
    }
    if (!mode.error().retryable || std::chrono::steady_clock::now() >= deadline) {
      return fail(mode.error());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds{10});
  }
}

Error newer_schema(std::string_view path, int found) {
  json::Value details;
  details.set("schema_version", found);
  details.set("supported_version", kSqliteSchemaVersion);
  Error error = make_error(errc::storage,
                           std::string(path) + " has schema version " + std::to_string(found) +
                               ", newer than the " + std::to_string(kSqliteSchemaVersion) +
                               " this build of opsgraph supports: open it with a newer opsgraph",
                           std::move(details));
  error.retryable = false;
  return error;
}

result<void> apply(Connection& connection, const Migration& migration, TimePoint now) {
  OPSGRAPH_TRY(connection.exec(std::string(migration.sql), kOperation));
  OPSGRAPH_TRY(auto record,
               connection.prepare("INSERT INTO opsgraph_schema_migrations (version, name, "
                                  "applied_at) VALUES (?1, ?2, ?3)",
                                  kOperation));
  record.bind(1, std::int64_t{migration.version})
      .bind(2, migration.name)
      .bind(3, std::int64_t{now.time_since_epoch().count()});
  return record.run();
}

}  // namespace

result<void> configure(Connection& connection, const SqliteOptions& options) {
  OPSGRAPH_TRY(enable_wal(connection, options.busy_timeout));
  std::string pragmas = options.synchronous == SqliteSync::full ? "PRAGMA synchronous = FULL;"
                                                                : "PRAGMA synchronous = NORMAL;";
  pragmas += "PRAGMA foreign_keys = ON;";
  // Deleted rows are zeroed inside the pages a change writes anyway, but a page freed whole is
  // not written again just to zero it: with ON (Debian's build default) erasing a run's
  // checkpoints wrote each of their pages to the log once more, a third more log than FAST.
  pragmas += "PRAGMA secure_delete = FAST;";
  // A negative cache_size is in KiB.
  pragmas += "PRAGMA cache_size = -" + std::to_string(options.cache_mib * 1024) + ";";
  return connection.exec(pragmas, "configure connection");
}

result<int> schema_version(Connection& connection) {
  OPSGRAPH_TRY(auto exists,
               connection.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND "
                                  "name = 'opsgraph_schema_migrations'",
                                  "read schema version"));
  OPSGRAPH_TRY(exists.step());
  if (exists.int64(0) == 0)
    return 0;
  OPSGRAPH_TRY(auto highest, connection.prepare(
                                 "SELECT COALESCE(MAX(version), 0) FROM opsgraph_schema_migrations",
                                 "read schema version"));
  OPSGRAPH_TRY(highest.step());
  return static_cast<int>(highest.int64(0));
}

result<void> migrate(Connection& connection, std::string_view path, TimePoint now) {
  // Most opens find the schema current: check without taking the write lock first.
  OPSGRAPH_TRY(int seen, schema_version(connection));
  if (seen > kSqliteSchemaVersion)
    return fail(newer_schema(path, seen));
  if (seen == kSqliteSchemaVersion)
    return ok();

  OPSGRAPH_TRY(auto transaction, WriteTransaction::begin(connection, kOperation));
  OPSGRAPH_TRY(
      connection.exec("CREATE TABLE IF NOT EXISTS opsgraph_schema_migrations ("
                      "version INTEGER PRIMARY KEY NOT NULL, name TEXT NOT NULL, "
                      "applied_at INTEGER NOT NULL) STRICT",
                      kOperation));
  // Another process may have migrated between the check and the lock.
  OPSGRAPH_TRY(int current, schema_version(connection));
  if (current > kSqliteSchemaVersion)
    return fail(newer_schema(path, current));
  for (const auto& migration : kMigrations) {
    if (migration.version > current) {
      OPSGRAPH_TRY(apply(connection, migration, now));
    }
  }
  return transaction.commit();
}

}  // namespace opsgraph::store::detail
