#include "store/postgres/pg_schema.hpp"

#include <array>
#include <opsgraph/store/postgres_store.hpp>

namespace opsgraph::store::detail::pg {
namespace {

struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;
};

// Append only: a shipped migration never changes, and its version is its position. Tables are
// created in the session's search_path, which is the store's schema. Times are milliseconds since
// the epoch by the store's Clock; ids sort bytewise (COLLATE "C"), as in every other backend.
constexpr std::array kMigrations{
    Migration{1, "tasks, events, checkpoints, work notifications", R"sql(
CREATE TABLE tasks (
  id text COLLATE "C" PRIMARY KEY,
  status text NOT NULL,
  stage text NOT NULL,
  owner text NOT NULL,
  idempotency_key text UNIQUE,
  version bigint NOT NULL,
  created_at bigint NOT NULL,
  updated_at bigint NOT NULL,
  runnable boolean NOT NULL,
  lease_worker text,
  lease_token bigint NOT NULL DEFAULT 0,
  lease_expires_at bigint,
  body text NOT NULL
);
CREATE INDEX tasks_by_created ON tasks (created_at, id);
CREATE INDEX tasks_by_status ON tasks (status, created_at, id);
CREATE INDEX tasks_by_owner ON tasks (owner, created_at, id);
CREATE INDEX tasks_claimable ON tasks (created_at, id) WHERE runnable;

-- The last seq handed out per task: appenders serialise on this row, not on the task's.
CREATE TABLE task_event_heads (
  task_id text COLLATE "C" PRIMARY KEY REFERENCES tasks (id),
  last_seq bigint NOT NULL
);
CREATE TABLE task_events (
  task_id text COLLATE "C" NOT NULL REFERENCES tasks (id),
  seq bigint NOT NULL,
  type text NOT NULL,
  data text NOT NULL,
  at bigint NOT NULL,
  PRIMARY KEY (task_id, seq)
);
CREATE FUNCTION opsgraph_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'task events are append-only' USING ERRCODE = 'integrity_constraint_violation'; END $$;
CREATE TRIGGER task_events_append_only BEFORE UPDATE OR DELETE ON task_events
  FOR EACH STATEMENT EXECUTE FUNCTION opsgraph_refuse_change();

-- The highest step ever put per run, so a pruned step can never be written again.
CREATE TABLE checkpoint_runs (
  run_id text COLLATE "C" PRIMARY KEY,
  latest_step bigint NOT NULL
);
CREATE TABLE checkpoints (
  run_id text COLLATE "C" NOT NULL,
  step bigint NOT NULL,
  graph text NOT NULL,
  data text NOT NULL,
  created_at bigint NOT NULL,
  PRIMARY KEY (run_id, step)
);

-- One round trip per put: moves the run's head when the step is higher (its row lock serialises
-- puts of one run), inserts the checkpoint and prunes all but the p_keep newest. Returns 0, or
-- the step the run had already reached (nothing written). Each statement sees what the previous
-- ones and other committed puts wrote.
CREATE FUNCTION opsgraph_put_checkpoint(p_run text, p_step bigint, p_graph text, p_data text,
                                        p_at bigint, p_keep bigint)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE reached bigint;
BEGIN
  INSERT INTO checkpoint_runs AS r (run_id, latest_step) VALUES (p_run, p_step)
    ON CONFLICT (run_id) DO UPDATE SET latest_step = EXCLUDED.latest_step
    WHERE r.latest_step < EXCLUDED.latest_step
    RETURNING latest_step INTO reached;
  IF reached IS NULL THEN
    SELECT latest_step INTO reached FROM checkpoint_runs WHERE run_id = p_run;
    RETURN reached;
  END IF;
  INSERT INTO checkpoints (run_id, step, graph, data, created_at)
    VALUES (p_run, p_step, p_graph, p_data, p_at);
  DELETE FROM checkpoints WHERE run_id = p_run AND step <
    (SELECT step FROM checkpoints WHERE run_id = p_run ORDER BY step DESC LIMIT 1 OFFSET p_keep - 1);
  RETURN 0;
END $$;

-- Wakes idle workers (PostgresStore::wait_for_work) when a task becomes claimable: created
-- runnable, made runnable, or released. The payload names the schema.
CREATE FUNCTION opsgraph_notify_work() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN PERFORM pg_notify('opsgraph_work', TG_TABLE_SCHEMA); RETURN NULL; END $$;
CREATE TRIGGER tasks_work_created AFTER INSERT ON tasks
  FOR EACH ROW WHEN (NEW.runnable) EXECUTE FUNCTION opsgraph_notify_work();
CREATE TRIGGER tasks_work_freed AFTER UPDATE ON tasks
  FOR EACH ROW WHEN (NEW.runnable AND NEW.lease_worker IS NULL
                     AND (NOT OLD.runnable OR OLD.lease_worker IS NOT NULL))
  EXECUTE FUNCTION opsgraph_notify_work();
)sql"},
    Migration{2, "api keys", R"sql(
CREATE TABLE api_keys (
  id text COLLATE "C" PRIMARY KEY,
  name text NOT NULL,
  role text NOT NULL,
  secret_hash text COLLATE "C" NOT NULL,
  created_by text NOT NULL,
  created_at bigint NOT NULL,
  revoked_at bigint
);
CREATE UNIQUE INDEX api_keys_by_hash ON api_keys (secret_hash);
CREATE INDEX api_keys_by_created ON api_keys (created_at, id);
)sql"},
    Migration{3, "who revoked an api key", R"sql(
ALTER TABLE api_keys ADD COLUMN revoked_by text;
)sql"},
    Migration{4, "checkpoints fenced by a task's lease", R"sql(
-- PostgresStore::put_leased: a task's checkpoint written only while the live lease with p_token
-- holds the task (a task's run id is its id). The task row is locked FOR SHARE first: a claim
-- that committed before has changed the token, and one still running waits for this write.
-- Returns -1 when the lease does not hold the task, else as opsgraph_put_checkpoint.
CREATE FUNCTION opsgraph_put_leased_checkpoint(p_run text, p_step bigint, p_graph text,
                                               p_data text, p_at bigint, p_keep bigint,
                                               p_token bigint, p_now bigint)
RETURNS bigint LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM tasks WHERE id = p_run AND lease_worker IS NOT NULL AND lease_token = p_token
    AND lease_expires_at > p_now FOR SHARE;
  IF NOT FOUND THEN
    RETURN -1;
  END IF;
  RETURN opsgraph_put_checkpoint(p_run, p_step, p_graph, p_data, p_at, p_keep);
END $$;
)sql"},
    // claim() walked every runnable task, leased ones included, from the oldest: with a thousand
    // tasks in flight, a thousand rows per claim. Unleased and leased runnable tasks now have an
    // index each.
    Migration{5, "claim without walking leased tasks", R"sql(
CREATE INDEX tasks_unleased ON tasks (created_at, id) WHERE runnable AND lease_expires_at IS NULL;
CREATE INDEX tasks_lease_expiry ON tasks (lease_expires_at)
  WHERE runnable AND lease_expires_at IS NOT NULL;
DROP INDEX tasks_claimable;
)sql"},
};
static_assert(kMigrations.back().version == kPostgresSchemaVersion);

constexpr std::string_view kOperation = "migrate schema";

Error newer_schema(const std::string& schema, int found) {
  json::Value details;
  details.set("schema_version", found);
  details.set("supported_version", kPostgresSchemaVersion);
  Error error = make_error(errc::storage,
                           "postgres schema " + schema + " has version " + std::to_string(found) +
                               ", newer than the " + std::to_string(kPostgresSchemaVersion) +
                               " this build of opsgraph supports: open it with a newer opsgraph",
                           std::move(details));
  error.retryable = false;
  return error;
}

result<void> apply(Connection& connection, const Migration& migration, TimePoint now) {
  OPSGRAPH_TRY(connection.exec(std::string(migration.sql), kOperation));
  Params params;
  params.add(std::int64_t{migration.version})
      .add(migration.name)
      .add(std::int64_t{now.time_since_epoch().count()});
  OPSGRAPH_TRY(
      connection.query("INSERT INTO opsgraph_schema_migrations (version, name, "
                       "applied_at) VALUES ($1, $2, $3)",
                       params, kOperation));
  return ok();
}

}  // namespace

result<void> check_schema_name(std::string_view schema) {
  bool valid = !schema.empty() && schema.size() <= 63 && !(schema[0] >= '0' && schema[0] <= '9');
  for (char c : schema) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
      valid = false;
  }
  if (!valid) {
    return fail(errc::invalid_argument, "postgres schema name '" + std::string(schema) +
                                            "' is not a lowercase identifier of 1 to 63 bytes");
  }
  return ok();
}

result<int> schema_version(Connection& connection, const std::string& schema) {
  // to_regclass is NULL when the table does not exist, without an error.
  OPSGRAPH_TRY(auto exists, connection.query("SELECT to_regclass(quote_ident($1) || "
                                             "'.opsgraph_schema_migrations') IS NOT NULL",
                                             Params().add(schema), "read schema version"));
  if (!exists.boolean(0, 0))
    return 0;
  OPSGRAPH_TRY(auto highest,
               connection.query("SELECT COALESCE(MAX(version), 0) FROM opsgraph_schema_migrations",
                                Params(), "read schema version"));
  return static_cast<int>(highest.int64(0, 0));
}

result<void> migrate(Connection& connection, const std::string& schema, TimePoint now) {
  // Most opens find the schema current: check without taking the lock first.
  OPSGRAPH_TRY(int seen, schema_version(connection, schema));
  if (seen > kPostgresSchemaVersion)
    return fail(newer_schema(schema, seen));
  if (seen == kPostgresSchemaVersion)
    return ok();

  OPSGRAPH_TRY(auto transaction, Transaction::begin(connection, kOperation));
  // One lock per schema (two int4 keys: a constant naming opsgraph, the schema's hash), held
  // until this transaction ends: a second process waits here, then finds the work done.
  OPSGRAPH_TRY(connection.query("SELECT pg_advisory_xact_lock(1869639783, hashtext($1))",
                                Params().add(schema), kOperation));
  OPSGRAPH_TRY(connection.exec("CREATE SCHEMA IF NOT EXISTS \"" + schema + "\"", kOperation));
  OPSGRAPH_TRY(
      connection.exec("CREATE TABLE IF NOT EXISTS opsgraph_schema_migrations ("
                      "version integer PRIMARY KEY, name text NOT NULL, "
                      "applied_at bigint NOT NULL)",
                      kOperation));
  OPSGRAPH_TRY(int current, schema_version(connection, schema));
  if (current > kPostgresSchemaVersion)
    return fail(newer_schema(schema, current));
  for (const auto& migration : kMigrations) {
    if (migration.version > current) {
      OPSGRAPH_TRY(apply(connection, migration, now));
    }
  }
  return transaction.commit();
}

}  // namespace opsgraph::store::detail::pg
