// SqliteStore beyond the conformance suite: durability across reopen, schema migrations (and the
// upgrade of a file an older release wrote), file settings, the write-ahead log's copying, and
// how SQLite failures surface.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <opsgraph/store/sqlite_store.hpp>
#include <thread>
#include <vector>

#include "raw_sqlite.hpp"
#include "store_conformance.hpp"
#include "support/temp_dir.hpp"

namespace opsgraph::store::testing {

namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// "1,2,...,kSqliteSchemaVersion": every migration, as opsgraph_schema_migrations lists them.
std::string every_version() {
  std::string versions;
  for (int v = 1; v <= kSqliteSchemaVersion; ++v)
    versions += (v > 1 ? "," : "") + std::to_string(v);
  return versions;
}

// Migration 4 undone: the file has the one claim index versions 1 to 3 made.
constexpr const char* kUndoClaimIndexes =
    "DROP INDEX tasks_unleased; DROP INDEX tasks_lease_expiry; "
    "CREATE INDEX tasks_claimable ON tasks (created_at, id) WHERE runnable = 1; ";

class SqliteStoreTest : public ::testing::Test {
 protected:
  std::unique_ptr<SqliteStore> open(SqliteOptions options = {}) {
    auto opened = SqliteStore::open(path_, options, clock_);
    EXPECT_TRUE(opened) << (opened ? "" : opened.error().message);
    return opened ? std::move(opened).value() : nullptr;
  }

  /// A store whose writes give up after 50 ms behind another connection's write lock.
  std::unique_ptr<SqliteStore> open_impatient() {
    SqliteOptions impatient;
    impatient.busy_timeout = milliseconds{50};
    return open(impatient);
  }

  /// Runs `sql` on the file behind the store's back (to make it as an older release left it).
  void alter_file(const std::string& sql) {
    RawSqlite raw(path_);
    ASSERT_EQ(raw.exec(sql), SQLITE_OK) << raw.message();
  }

  /// A checkpoint of its own run, about `kCheckpointBytes` long: a page of the file each.
  static Checkpoint page_sized_checkpoint(int n) {
    return Checkpoint{"run-" + std::to_string(n),
                      1,
                      "g",
                      "{\"pad\":\"" + std::string(kCheckpointBytes, 'x') + "\"}",
                      {}};
  }
  std::uintmax_t size_of(const std::string& file) const {
    std::error_code ec;
    const auto size = std::filesystem::file_size(file, ec);
    return ec ? 0 : size;
  }

  static constexpr std::size_t kCheckpointBytes = 3000;
  static constexpr std::uintmax_t kPage = 4096;
  ManualClock clock_;
  TempDir dir_;
  std::string path_ = dir_.file("tasks.db");
};

TEST_F(SqliteStoreTest, ReopeningKeepsEverything) {
  TaskRecord claimed_before;
  {
    auto store = open();
    ASSERT_TRUE(store);
    auto first = new_task("t1");
    first.idempotency_key = "key-1";
    ASSERT_TRUE(store->create(first));
    ASSERT_TRUE(store->create(new_task("t2", "failed", "bob")));
    ASSERT_TRUE(store->append_event("t1", "created", R"({"a":1})"));
    ASSERT_TRUE(store->append_event("t1", "routed", R"({"b":2})"));
    claimed_before = store->claim("worker-1", seconds{30}).value().value();
    ASSERT_TRUE(store->put(Checkpoint{"run-1", 1, "g", R"({"x":1})", {}}));
    ASSERT_TRUE(store->put(Checkpoint{"run-1", 2, "g", R"({"x":2})", {}}));
  }
  auto store = open();
  ASSERT_TRUE(store);
  EXPECT_EQ(store->get("t1").value(), claimed_before);
  EXPECT_EQ(store->get("t2").value().owner, "bob");
  EXPECT_EQ(store->find_by_idempotency_key("key-1").value()->id, "t1");
  auto events = store->events("t1", 0, 10).value();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1].data, R"({"b":2})");
  EXPECT_EQ(store->append_event("t1", "again", "{}").value().seq, 3u);
  EXPECT_EQ(store->latest("run-1").value()->data, R"({"x":2})");
  EXPECT_EQ(store->history("run-1", 10).value().size(), 2u);
  EXPECT_TRUE(store->renew("t1", claimed_before.lease->token, seconds{30}))
      << "a lease survives the reopen";
  EXPECT_EQ(store->list(ListQuery{}).value().tasks.size(), 2u);
}

TEST_F(SqliteStoreTest, MigratesAnEmptyFileAndRecordsTheVersion) {
  std::ofstream(path_).close();  // an empty file is a valid, empty SQLite database
  auto store = open();
  ASSERT_TRUE(store);
  EXPECT_EQ(store->schema_version().value(), kSqliteSchemaVersion);
  store.reset();

  RawSqlite raw(path_);
  EXPECT_EQ(raw.text("SELECT group_concat(version) FROM (SELECT version FROM "
                     "opsgraph_schema_migrations ORDER BY version)"),
            every_version());
  EXPECT_EQ(raw.text("SELECT count(DISTINCT applied_at) || ':' || max(applied_at) "
                     "FROM opsgraph_schema_migrations"),
            "1:" + std::to_string(clock_.now().time_since_epoch().count()))
      << "a new file gets every migration at once";
  EXPECT_EQ(raw.text("PRAGMA journal_mode"), "wal");
  EXPECT_EQ(raw.text("SELECT count(*) FROM sqlite_master WHERE name = 'tasks'"), "1");
  EXPECT_EQ(raw.text("SELECT count(*) FROM sqlite_master WHERE name = 'api_keys'"), "1");
  // Opening again applies nothing twice.
  clock_.advance(seconds{1});
  ASSERT_TRUE(open());
  EXPECT_EQ(raw.text("SELECT count(*) FROM opsgraph_schema_migrations"),
            std::to_string(kSqliteSchemaVersion));
}

// A file at schema version 1 (tasks, events and checkpoints: what releases before API keys wrote)
// is brought up to date when opened, and keeps everything it held.
TEST_F(SqliteStoreTest, UpgradesAVersionOneFileAndKeepsItsData) {
  {
    auto store = open();
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->create(new_task("t1")));
    ASSERT_TRUE(store->append_event("t1", "created", "{}"));
    ASSERT_TRUE(store->put(Checkpoint{"run-1", 1, "g", R"({"x":1})", {}}));
  }
  // Take away what the later migrations added: the file is as version 1 left it.
  ASSERT_NO_FATAL_FAILURE(
      alter_file(std::string(kUndoClaimIndexes) +
                 "DROP TABLE api_keys; DELETE FROM opsgraph_schema_migrations WHERE version > 1"));
  clock_.advance(seconds{60});
  auto store = open();
  ASSERT_TRUE(store);
  EXPECT_EQ(store->schema_version().value(), kSqliteSchemaVersion);
  EXPECT_EQ(store->get("t1").value().id, "t1");
  EXPECT_EQ(store->events("t1", 0, 10).value().size(), 1u);
  EXPECT_EQ(store->latest("run-1").value()->data, R"({"x":1})");
  ApiKey key{"key-1", "ci", "operator", "sha256:" + std::string(64, '0'), "cli", {}, {}, {}};
  auto added = store->add_key(key);
  ASSERT_TRUE(added) << added.error().message;
  EXPECT_EQ(store->find_key(key.secret_hash).value()->id, "key-1");
  EXPECT_EQ(store->list_keys().value().size(), 1u);

  RawSqlite raw(path_);
  EXPECT_EQ(raw.text("SELECT group_concat(version) FROM (SELECT version FROM "
                     "opsgraph_schema_migrations ORDER BY version)"),
            every_version());
  EXPECT_EQ(raw.text("SELECT applied_at FROM opsgraph_schema_migrations WHERE version = 2"),
            std::to_string(clock_.now().time_since_epoch().count()))
      << "only the missing migration ran, at this open";
  EXPECT_EQ(raw.text("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND "
                     "tbl_name = 'api_keys'"),
            "3")
      << "unique by id and by hash, and listed by time";
}

// A file at schema version 2 (keys recorded when they were revoked, not by whom) keeps its keys:
// a key revoked then stays revoked, by nobody known, and a live one records who revokes it.
TEST_F(SqliteStoreTest, UpgradesAVersionTwoFileAndKeepsItsKeys) {
  {
    auto store = open();
    ASSERT_TRUE(store);
    ASSERT_NO_FATAL_FAILURE(add_keys_before_upgrade(*store));
  }
  const auto revoked_at = clock_.now();
  ASSERT_NO_FATAL_FAILURE(alter_file(std::string(kUndoClaimIndexes) +
                                     "ALTER TABLE api_keys DROP COLUMN revoked_by; "
                                     "DELETE FROM opsgraph_schema_migrations WHERE version > 2"));
  clock_.advance(seconds{60});
  auto store = open();
  ASSERT_TRUE(store);
  EXPECT_EQ(store->schema_version().value(), kSqliteSchemaVersion);
  expect_keys_after_upgrade(*store, revoked_at, clock_.now());
}

// A file at schema version 3 gets the claim indexes of version 4 and hands out its work in the
// same order: the oldest task whose lease expired, then the unleased ones, never a live lease.
TEST_F(SqliteStoreTest, UpgradesAVersionThreeFileAndClaimsInTheSameOrder) {
  {
    auto store = open();
    ASSERT_TRUE(store);
    ASSERT_NO_FATAL_FAILURE(lease_tasks_before_upgrade(*store, clock_));
  }
  ASSERT_NO_FATAL_FAILURE(alter_file(std::string(kUndoClaimIndexes) +
                                     "DELETE FROM opsgraph_schema_migrations WHERE version > 3"));
  auto store = open();
  ASSERT_TRUE(store);
  EXPECT_EQ(store->schema_version().value(), kSqliteSchemaVersion);
  expect_claims_after_upgrade(*store);

  RawSqlite raw(path_);
  EXPECT_EQ(raw.text("SELECT group_concat(name) FROM (SELECT name FROM sqlite_master WHERE "
                     "type = 'index' AND name LIKE 'tasks_%' ORDER BY name)"),
            "tasks_by_created,tasks_by_owner,tasks_by_status,tasks_lease_expiry,tasks_unleased");
}

// A file at schema version 4 gets its events moved into a table kept in their key's order, all
// of them, still append-only.
TEST_F(SqliteStoreTest, UpgradesAVersionFourFileAndKeepsItsEventsAppendOnly) {
  {
    auto store = open();
    ASSERT_TRUE(store);
    for (const char* id : {"t1", "t2"}) {
      ASSERT_TRUE(store->create(new_task(id)));
      for (const char* type : {"created", "planned", "status"})
        ASSERT_TRUE(store->append_event(id, type, R"({"of":")" + std::string(id) + "\"}"));
    }
  }
  // As versions 1 to 4 made it: a rowid table and the index of its primary key.
  ASSERT_NO_FATAL_FAILURE(alter_file(
      "CREATE TABLE old_events (task_id TEXT NOT NULL REFERENCES tasks (id), seq INTEGER NOT "
      "NULL, type TEXT NOT NULL, data TEXT NOT NULL, at INTEGER NOT NULL, PRIMARY KEY (task_id, "
      "seq)) STRICT; INSERT INTO old_events SELECT * FROM task_events; DROP TABLE task_events; "
      "ALTER TABLE old_events RENAME TO task_events; "
      "CREATE TRIGGER task_events_no_update BEFORE UPDATE ON task_events BEGIN SELECT "
      "RAISE(ABORT, 'task events are append-only'); END; "
      "CREATE TRIGGER task_events_no_delete BEFORE DELETE ON task_events BEGIN SELECT "
      "RAISE(ABORT, 'task events are append-only'); END; "
      "DELETE FROM opsgraph_schema_migrations WHERE version > 4"));
  {
    RawSqlite raw(path_);
    ASSERT_EQ(raw.text("SELECT count(*) FROM sqlite_master WHERE tbl_name = 'task_events' AND "
                       "sql LIKE '%WITHOUT ROWID%'"),
              "0");
  }
  auto store = open();
  ASSERT_TRUE(store);
  EXPECT_EQ(store->schema_version().value(), kSqliteSchemaVersion);
  for (const char* id : {"t1", "t2"}) {
    auto events = store->events(id, 0, 10);
    ASSERT_TRUE(events) << events.error().message;
    ASSERT_EQ(events.value().size(), 3u) << id;
    EXPECT_EQ(events.value()[1].type, "planned");
    EXPECT_EQ(events.value()[2].seq, 3u);
    EXPECT_EQ(events.value()[2].data, R"({"of":")" + std::string(id) + "\"}");
  }
  auto next = store->append_event("t1", "completed", "{}");
  ASSERT_TRUE(next) << next.error().message;
  EXPECT_EQ(next.value().seq, 4u);

  RawSqlite raw(path_);
  EXPECT_EQ(raw.text("SELECT count(*) FROM sqlite_master WHERE tbl_name = 'task_events' AND "
                     "sql LIKE '%WITHOUT ROWID%'"),
            "1");
  EXPECT_NE(raw.exec("DELETE FROM task_events WHERE task_id = 't2'"), SQLITE_OK);
  EXPECT_NE(raw.exec("UPDATE task_events SET type = 'forged' WHERE task_id = 't2'"), SQLITE_OK);
  EXPECT_EQ(raw.text("SELECT count(*) FROM task_events"), "7");
}

TEST_F(SqliteStoreTest, RefusesASchemaNewerThanItKnows) {
  ASSERT_TRUE(open());
  ASSERT_NO_FATAL_FAILURE(alter_file("INSERT INTO opsgraph_schema_migrations VALUES (" +
                                     std::to_string(kSqliteSchemaVersion + 1) +
                                     ", 'from the future', 0)"));
  auto refused = SqliteStore::open(path_, {}, clock_);
  ASSERT_TRUE(fails_with(refused, errc::storage));
  EXPECT_FALSE(refused.error().retryable);
  EXPECT_NE(refused.error().message.find("newer"), std::string::npos) << refused.error().message;
  EXPECT_NE(refused.error().message.find(path_), std::string::npos) << refused.error().message;
}

TEST_F(SqliteStoreTest, ThreadsOpeningOneNewFileMigrateItOnce) {
  constexpr int kOpeners = 4;
  std::vector<std::unique_ptr<SqliteStore>> stores(kOpeners);
  std::vector<std::string> failures(kOpeners);
  std::vector<std::thread> threads;
  for (int i = 0; i < kOpeners; ++i) {
    threads.emplace_back([&, i] {
      auto opened = SqliteStore::open(path_, {}, clock_);
      if (opened) {
        stores[i] = std::move(opened).value();
      } else {
        failures[i] = opened.error().message;
      }
    });
  }
  for (auto& thread : threads)
    thread.join();
  for (int i = 0; i < kOpeners; ++i)
    EXPECT_TRUE(stores[i]) << failures[i];
  RawSqlite raw(path_);
  EXPECT_EQ(raw.text("SELECT count(*) FROM opsgraph_schema_migrations"),
            std::to_string(kSqliteSchemaVersion));
  ASSERT_TRUE(stores[0] && stores[1]);
  ASSERT_TRUE(stores[0]->create(new_task("t1")));
  EXPECT_EQ(stores[1]->get("t1").value().id, "t1") << "connections share one file";
}

TEST_F(SqliteStoreTest, BadOptionsAndMissingFiles) {
  EXPECT_TRUE(fails_with(SqliteStore::open("", {}, clock_), errc::invalid_argument));
  SqliteOptions no_history;
  no_history.checkpoint_history = 0;
  EXPECT_TRUE(fails_with(SqliteStore::open(path_, no_history, clock_), errc::invalid_argument));
  SqliteOptions forever;
  forever.busy_timeout = std::chrono::hours{25};
  EXPECT_TRUE(fails_with(SqliteStore::open(path_, forever, clock_), errc::invalid_argument));
  // A size out of range is refused, and the message names the option.
  const auto expect_refused = [&](std::size_t SqliteOptions::*option, std::size_t value,
                                  const std::string& name) {
    SqliteOptions options;
    options.*option = value;
    auto opened = SqliteStore::open(path_, options, clock_);
    ASSERT_TRUE(fails_with(opened, errc::invalid_argument)) << name << " = " << value;
    EXPECT_NE(opened.error().message.find(name), std::string::npos) << opened.error().message;
  };
  for (std::size_t bad : {std::size_t{0}, kSqliteMaxCacheMib + 1})
    expect_refused(&SqliteOptions::cache_mib, bad, "cache_mib");
  for (std::size_t bad : {std::size_t{0}, kSqliteMaxWalPages + 1})
    expect_refused(&SqliteOptions::wal_autocheckpoint_pages, bad, "wal_autocheckpoint_pages");
  SqliteOptions no_create;
  no_create.create_if_missing = false;
  EXPECT_TRUE(fails_with(SqliteStore::open(path_, no_create, clock_), errc::not_found));
  EXPECT_TRUE(
      fails_with(SqliteStore::open(dir_.file("no/such/dir.db"), {}, clock_), errc::storage));
}

TEST_F(SqliteStoreTest, AFileThatIsNotADatabaseIsAPermanentStorageError) {
  std::ofstream(path_) << std::string(4096, 'x');
  auto opened = SqliteStore::open(path_, {}, clock_);
  ASSERT_TRUE(fails_with(opened, errc::storage));
  EXPECT_FALSE(opened.error().retryable);
  EXPECT_NE(opened.error().message.find("sqlite"), std::string::npos) << opened.error().message;
}

TEST_F(SqliteStoreTest, AWriterHeldUpByAnotherConnectionGetsARetryableError) {
  auto store = open_impatient();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->create(new_task("t1")));

  RawSqlite other(path_);
  ASSERT_EQ(other.exec("BEGIN IMMEDIATE"), SQLITE_OK) << other.message();
  auto blocked = store->create(new_task("t2"));
  ASSERT_TRUE(fails_with(blocked, errc::storage));
  EXPECT_TRUE(blocked.error().retryable);
  EXPECT_NE(blocked.error().message.find("create task"), std::string::npos)
      << blocked.error().message;
  EXPECT_EQ(store->get("t1").value().id, "t1") << "readers are not blocked in WAL mode";
  ASSERT_EQ(other.exec("COMMIT"), SQLITE_OK);
  EXPECT_TRUE(store->create(new_task("t2"))) << "the same call succeeds once the writer is done";
}

TEST_F(SqliteStoreTest, AClaimThatFindsNothingTakesNoWriteLock) {
  auto store = open_impatient();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->create(new_task("t1")));
  ASSERT_TRUE(store->claim("worker-1", seconds{30}).value());

  RawSqlite other(path_);
  ASSERT_EQ(other.exec("BEGIN IMMEDIATE"), SQLITE_OK) << other.message();
  auto nothing = store->claim("worker-2", seconds{30});
  ASSERT_TRUE(nothing) << "an idle poll does not wait for another process's write: "
                       << nothing.error().message;
  EXPECT_FALSE(nothing.value());

  // Work to claim does need the lock, and waits for it as any write does.
  ASSERT_EQ(other.exec("COMMIT"), SQLITE_OK);
  ASSERT_TRUE(store->create(new_task("t2")));
  ASSERT_EQ(other.exec("BEGIN IMMEDIATE"), SQLITE_OK) << other.message();
  auto blocked = store->claim("worker-2", seconds{30});
  ASSERT_TRUE(fails_with(blocked, errc::storage));
  EXPECT_TRUE(blocked.error().retryable);
  ASSERT_EQ(other.exec("COMMIT"), SQLITE_OK);
  EXPECT_EQ(store->claim("worker-2", seconds{30}).value().value().id, "t2");
}

TEST_F(SqliteStoreTest, EventsCannotBeChangedEvenThroughTheFile) {
  auto store = open();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->create(new_task("t1")));
  ASSERT_TRUE(store->append_event("t1", "approved", R"({"by":"carol"})"));
  RawSqlite raw(path_);
  EXPECT_NE(raw.exec("UPDATE task_events SET data = '{}'"), SQLITE_OK);
  EXPECT_NE(raw.message().find("append-only"), std::string::npos) << raw.message();
  EXPECT_NE(raw.exec("DELETE FROM task_events"), SQLITE_OK);
  EXPECT_EQ(store->events("t1", 0, 10).value().at(0).data, R"({"by":"carol"})");
}

TEST_F(SqliteStoreTest, TheLogIsCopiedIntoTheFileWhileNothingIsWritten) {
  SqliteOptions options;
  options.wal_autocheckpoint_pages = 50;
  auto store = open(options);
  ASSERT_TRUE(store);
  const auto file_before = size_of(path_);
  constexpr int kWrites = 40;
  for (int n = 0; n < kWrites; ++n)
    ASSERT_TRUE(store->put(page_sized_checkpoint(n)));
  // Fewer pages than the writer's own backstop (16 copies' worth): only the copier moves them.
  ASSERT_LT(size_of(path_ + "-wal"), 16 * 50 * kPage);
  const auto deadline = std::chrono::steady_clock::now() + seconds{20};
  while (size_of(path_) < file_before + kWrites / 2 * kPage &&
         std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(milliseconds{10});
  EXPECT_GE(size_of(path_), file_before + kWrites / 2 * kPage)
      << "the database file holds the checkpoints written to the log";
  for (int n = 0; n < kWrites; ++n) {
    auto latest = store->latest("run-" + std::to_string(n));
    ASSERT_TRUE(latest && latest.value()) << n;
    EXPECT_EQ(latest.value()->data, page_sized_checkpoint(n).data) << n;
  }
}

TEST_F(SqliteStoreTest, TheLogStaysBoundedAndWholeUnderSteadyWrites) {
  SqliteOptions options;
  options.wal_autocheckpoint_pages = 20;
  constexpr int kWrites = 1500;
  {
    auto store = open(options);
    ASSERT_TRUE(store);
    std::uintmax_t largest_log = 0;
    for (int n = 0; n < kWrites; ++n) {
      ASSERT_TRUE(store->put(page_sized_checkpoint(n)));
      largest_log = std::max(largest_log, size_of(path_ + "-wal"));
    }
    // The writer copies the log itself at 16 copies' worth, whatever the copier's pace; one
    // write adds a few pages (its checkpoint, index and table pages) beyond that.
    EXPECT_LE(largest_log, (16 * 20 + 8) * (kPage + 24) + 32);
  }
  RawSqlite raw(path_);
  EXPECT_EQ(raw.text("PRAGMA integrity_check"), "ok");
  EXPECT_EQ(raw.text("SELECT count(*) FROM checkpoints"), std::to_string(kWrites));
}

// Several stores on one file (as several processes would be) each copy the log as it grows; their
// copies and their writers' backstops may meet, and none of that may fail a write or lose one.
TEST_F(SqliteStoreTest, StoresSharingAFileCopyItsLogWithoutLosingWrites) {
  constexpr int kStores = 3;
  constexpr int kTasksEach = 150;
  SqliteOptions options;
  options.wal_autocheckpoint_pages = 8;
  options.busy_timeout = seconds{20};
  std::vector<std::unique_ptr<SqliteStore>> stores;
  for (int i = 0; i < kStores; ++i) {
    stores.push_back(open(options));
    ASSERT_TRUE(stores.back());
  }
  std::vector<std::string> failures(kStores);
  std::vector<std::thread> writers;
  for (int i = 0; i < kStores; ++i) {
    writers.emplace_back([&, i] {
      for (int n = 0; n < kTasksEach; ++n) {
        const std::string id = "s" + std::to_string(i) + "-" + std::to_string(n);
        auto created = stores[i]->create(new_task(id));
        if (!created) {
          failures[i] = id + ": create: " + created.error().message;
          return;
        }
        auto changed = created.value().record;
        changed.body = R"({"request":")" + id + R"(","done":true})";
        auto updated = stores[i]->update(changed, changed.version);
        auto put = stores[i]->put(page_sized_checkpoint(i * kTasksEach + n));
        if (!updated || !put) {
          failures[i] = id + ": " + (updated ? put.error().message : updated.error().message);
          return;
        }
      }
    });
  }
  for (auto& writer : writers)
    writer.join();
  for (const auto& failure : failures)
    EXPECT_EQ(failure, "");
  stores.clear();
  RawSqlite raw(path_);
  EXPECT_EQ(raw.text("PRAGMA integrity_check"), "ok");
  EXPECT_EQ(raw.text("SELECT count(*) FROM tasks WHERE body LIKE '%\"done\":true%'"),
            std::to_string(kStores * kTasksEach));
  EXPECT_EQ(raw.text("SELECT count(*) FROM checkpoints"), std::to_string(kStores * kTasksEach));
}

TEST_F(SqliteStoreTest, AnUpdateThatKeepsTheStatusWritesNoIndexPage) {
  SqliteOptions options;
  options.wal_autocheckpoint_pages = kSqliteMaxWalPages;  // nothing leaves the log meanwhile
  auto store = open(options);
  ASSERT_TRUE(store);
  auto record = store->create(new_task("t1")).value().record;
  const auto pages_of = [&](const TaskRecord& change) {
    const auto before = size_of(path_ + "-wal");
    auto updated = store->update(change, record.version);
    EXPECT_TRUE(updated) << (updated ? "" : updated.error().message);
    if (updated)
      record = std::move(updated).value();
    return (size_of(path_ + "-wal") - before) / (kPage + 24);
  };
  auto same_status = record;
  same_status.stage = "planning";
  same_status.body = R"({"request":"t1","plan":"p"})";
  EXPECT_EQ(pages_of(same_status), 1u) << "the table's page alone";
  EXPECT_EQ(record.stage, "planning");
  EXPECT_EQ(record.body, same_status.body);

  auto done = record;
  done.status = "completed";
  done.runnable = false;
  EXPECT_GE(pages_of(done), 2u) << "the table's page and the status index's";
  EXPECT_EQ(record.status, "completed");
  EXPECT_FALSE(record.runnable);
  EXPECT_EQ(record.version, 3u);
}

TEST_F(SqliteStoreTest, FullSynchronousModeWorksTheSame) {
  SqliteOptions full;
  full.synchronous = SqliteSync::full;
  auto store = open(full);
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->put(Checkpoint{"run-1", 1, "g", "{}", {}}));
  EXPECT_EQ(store->latest("run-1").value()->step, 1u);
}

}  // namespace
}  // namespace opsgraph::store::testing
