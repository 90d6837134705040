// The batching VFS under SQLite itself: a commit reaches the log in one write, other connections
// see it as soon as it returns, and spills, rollbacks, failed writes, log restarts and reopening
// behave as with SQLite's own VFS. Writes are counted (or made to fail) through the unix VFS's
// replaceable system calls.

#include "store/sqlite_wal_batching.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/types.h>

#include <cerrno>
#include <filesystem>
#include <memory>
#include <string>

#include "support/temp_dir.hpp"

namespace opsgraph::store::detail {
namespace {

using PwriteFn = ssize_t (*)(int, const void*, size_t, off_t);

// While it lives, the unix VFS's pwrite64 goes through `counting_pwrite`: counted, and failing
// with ENOSPC once `fail_writes` is set.
class PwriteSpy {
 public:
  PwriteSpy() : vfs_(sqlite3_vfs_find("unix")) {
    original_ = reinterpret_cast<PwriteFn>(vfs_->xGetSystemCall(vfs_, "pwrite64"));
    active_ = this;
    vfs_->xSetSystemCall(vfs_, "pwrite64", reinterpret_cast<sqlite3_syscall_ptr>(&counting_pwrite));
  }
  ~PwriteSpy() {
    vfs_->xSetSystemCall(vfs_, "pwrite64", nullptr);  // back to the real one
    active_ = nullptr;
  }
  PwriteSpy(const PwriteSpy&) = delete;
  PwriteSpy& operator=(const PwriteSpy&) = delete;

  int writes = 0;
  bool fail_writes = false;

 private:
  static ssize_t counting_pwrite(int fd, const void* data, size_t size, off_t offset) {
    ++active_->writes;
    if (active_->fail_writes) {
      errno = ENOSPC;
      return -1;
    }
    return active_->original_(fd, data, size, offset);
  }

  static inline PwriteSpy* active_ = nullptr;
  sqlite3_vfs* vfs_;
  PwriteFn original_ = nullptr;
};

class Db {
 public:
  Db(const std::string& path, const char* vfs) {
    sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, vfs);
  }
  ~Db() { sqlite3_close(db_); }
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  // Closing then leaves the log as it is, for the next connection to recover.
  void keep_log_at_close() { sqlite3_db_config(db_, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr); }

  int exec(const std::string& sql) {
    return sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr);
  }
  std::string text(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    std::string out = "(error)";
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK) {
      out = sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0) != nullptr
                ? reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0))
                : "";
    }
    sqlite3_finalize(stmt);
    return out;
  }

 private:
  sqlite3* db_ = nullptr;
};

// Inserts `rows` rows of `bytes` zero bytes into t, a statement each.
void insert_rows(Db& db, int rows, int bytes) {
  const std::string sql = "INSERT INTO t (body) VALUES (zeroblob(" + std::to_string(bytes) + "))";
  for (int i = 0; i < rows; ++i)
    EXPECT_EQ(db.exec(sql), SQLITE_OK);
}

class SqliteWalBatchingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NE(batching_wal_vfs(), nullptr);
    path_ = dir_.file("batching.db");
  }

  // A fresh file in WAL mode with a table, through `vfs`; the log is never copied back on its own.
  std::unique_ptr<Db> open_with_table(const char* vfs) {
    auto db = std::make_unique<Db>(path_, vfs);
    EXPECT_EQ(db->text("PRAGMA journal_mode = WAL"), "wal");
    EXPECT_EQ(db->exec("PRAGMA wal_autocheckpoint = 0; PRAGMA synchronous = NORMAL;"
                       "CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, body BLOB)"),
              SQLITE_OK);
    return db;
  }

  // Writes spent on one transaction that inserts `rows` rows of 6 KB (two pages each and more).
  int writes_of_one_commit(Db& db, int rows) {
    PwriteSpy spy;
    EXPECT_EQ(db.exec("BEGIN"), SQLITE_OK);
    for (int i = 0; i < rows; ++i)
      EXPECT_EQ(db.exec("INSERT INTO t (body) VALUES (randomblob(6000))"), SQLITE_OK);
    EXPECT_EQ(db.exec("COMMIT"), SQLITE_OK);
    return spy.writes;
  }

  // What another connection finds through SQLite's own VFS: the ids in t, and a whole file.
  void expect_ids(const std::string& ids) {
    Db reader(path_, nullptr);
    EXPECT_EQ(reader.text("SELECT group_concat(id) FROM t"), ids);
    EXPECT_EQ(reader.text("PRAGMA integrity_check"), "ok");
  }

  opsgraph::testing::TempDir dir_;
  std::string path_;
};

TEST_F(SqliteWalBatchingTest, ACommitReachesTheLogInOneWrite) {
  auto batched = open_with_table(batching_wal_vfs());
  EXPECT_EQ(writes_of_one_commit(*batched, 1), 1);
  EXPECT_EQ(writes_of_one_commit(*batched, 5), 1);
  batched.reset();
  // The same commit through SQLite's own VFS: two writes a page.
  auto plain = open_with_table(nullptr);
  EXPECT_GE(writes_of_one_commit(*plain, 5), 2 * 10);
}

TEST_F(SqliteWalBatchingTest, OtherConnectionsSeeEachCommitAsSoonAsItReturns) {
  auto writer = open_with_table(batching_wal_vfs());
  Db reader(path_, nullptr);
  for (int i = 1; i <= 5; ++i) {
    ASSERT_EQ(writer->exec("INSERT INTO t (body) VALUES (zeroblob(5000))"), SQLITE_OK);
    EXPECT_EQ(reader.text("SELECT count(*) FROM t"), std::to_string(i));
  }
}

TEST_F(SqliteWalBatchingTest, ATransactionLargerThanTheCacheSpillsAndCommits) {
  auto db = open_with_table(batching_wal_vfs());
  ASSERT_EQ(db->exec("PRAGMA cache_size = 10"), SQLITE_OK);
  ASSERT_EQ(db->exec("BEGIN"), SQLITE_OK);
  insert_rows(*db, 300, 3000);
  // Reading pages the transaction already spilled to the log.
  EXPECT_EQ(db->text("SELECT sum(length(body)) FROM t"), std::to_string(300 * 3000));
  ASSERT_EQ(db->exec("UPDATE t SET body = zeroblob(10) WHERE id % 2 = 0"), SQLITE_OK);
  ASSERT_EQ(db->exec("COMMIT"), SQLITE_OK);
  Db reader(path_, nullptr);
  EXPECT_EQ(reader.text("SELECT sum(length(body)) FROM t"), std::to_string(150 * 3000 + 150 * 10));
  EXPECT_EQ(reader.text("PRAGMA integrity_check"), "ok");
}

TEST_F(SqliteWalBatchingTest, ARolledBackTransactionLeavesNothing) {
  auto db = open_with_table(batching_wal_vfs());
  ASSERT_EQ(db->exec("PRAGMA cache_size = 10"), SQLITE_OK);
  ASSERT_EQ(db->exec("BEGIN"), SQLITE_OK);
  insert_rows(*db, 100, 3000);
  ASSERT_EQ(db->exec("ROLLBACK"), SQLITE_OK);
  ASSERT_EQ(db->exec("INSERT INTO t (id, body) VALUES (7, x'01')"), SQLITE_OK);
  expect_ids("7");
}

TEST_F(SqliteWalBatchingTest, AWriteThatFailsFailsItsCommitAndLosesNothingCommitted) {
  auto db = open_with_table(batching_wal_vfs());
  ASSERT_EQ(db->exec("INSERT INTO t (id, body) VALUES (1, zeroblob(5000))"), SQLITE_OK);
  {
    PwriteSpy spy;
    spy.fail_writes = true;
    ASSERT_EQ(db->exec("BEGIN"), SQLITE_OK);
    ASSERT_EQ(db->exec("INSERT INTO t (id, body) VALUES (2, zeroblob(5000))"), SQLITE_OK);
    EXPECT_NE(db->exec("COMMIT"), SQLITE_OK);
    db->exec("ROLLBACK");
  }
  ASSERT_EQ(db->exec("INSERT INTO t (id, body) VALUES (3, zeroblob(5000))"), SQLITE_OK);
  expect_ids("1,3");
}

TEST_F(SqliteWalBatchingTest, TheLogStartsOverAndReopensWithEveryCommit) {
  {
    auto db = open_with_table(batching_wal_vfs());
    insert_rows(*db, 20, 4000);
    EXPECT_EQ(db->exec("PRAGMA wal_checkpoint(TRUNCATE)"), SQLITE_OK);
    EXPECT_EQ(std::filesystem::file_size(path_ + "-wal"), 0u);
    insert_rows(*db, 20, 4000);
    db->keep_log_at_close();
  }
  ASSERT_GT(std::filesystem::file_size(path_ + "-wal"), 20u * 4000);
  // The next connection recovers the commits from the log file.
  Db reopened(path_, nullptr);
  EXPECT_EQ(reopened.text("SELECT count(*) FROM t"), "40");
  EXPECT_EQ(reopened.text("PRAGMA integrity_check"), "ok");
}

}  // namespace
}  // namespace opsgraph::store::detail
