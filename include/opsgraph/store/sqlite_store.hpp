#pragma once
// opsgraph::store::SqliteStore — the embedded default TaskStore, Checkpointer and KeyStore: one
// SQLite file in WAL mode, shared safely by many threads and by several processes on one machine.
//
// Thread-safe: one connection behind a mutex, so calls from threads of one process run one at a
// time; processes coordinate through SQLite's file locks (writes use BEGIN IMMEDIATE and wait up
// to busy_timeout). Every call blocks on disk. The clock passed to open() must outlive the store.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <opsgraph/core/clock.hpp>
#include <opsgraph/export.hpp>
#include <opsgraph/store/checkpointer.hpp>
#include <opsgraph/store/key_store.hpp>
#include <opsgraph/store/lease_fenced_checkpointer.hpp>
#include <opsgraph/store/task_store.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace opsgraph::store {

/// When a commit reaches the disk (SQLite's `PRAGMA synchronous`); chosen per store at open().
enum class SqliteSync {
  /// WAL synced at checkpoints only: a committed write survives the process being killed, and
  /// the last commits before a power loss or OS crash may be lost (never the file's integrity).
  normal,
  /// The WAL is synced on every commit: commits survive a power loss too, at a cost per write.
  full,
};

/// Settings of a SqliteStore, fixed when it is opened. A plain value; the file path is passed to
/// open() separately.
/// The largest page cache SqliteOptions::cache_mib accepts.
inline constexpr std::size_t kSqliteMaxCacheMib = 16 * 1024;
/// The most pages SqliteOptions::wal_autocheckpoint_pages accepts.
inline constexpr std::size_t kSqliteMaxWalPages = 1 << 20;

struct SqliteOptions {
  /// How long a write waits for another process's write transaction before failing with a
  /// retryable errc::storage (0 to 24 hours).
  std::chrono::milliseconds busy_timeout{5000};
  SqliteSync synchronous = SqliteSync::normal;
  /// How many of a run's newest checkpoints are kept (at least 1); older ones are deleted in the
  /// transaction that adds a new one.
  std::size_t checkpoint_history = 8;
  /// Create the file when it does not exist (else open() fails with not_found).
  bool create_if_missing = true;
  /// The connection's page cache in MiB (1 to kSqliteMaxCacheMib), filled only as pages are read.
  /// SQLite's own 2 MiB holds too few pages for hundreds of tasks in flight, and every miss reads
  /// the page from the file again under the store's lock: with a thousand in flight, 32 MiB gave
  /// the engine's load run (bench/README.md) about 30% more tasks per second.
  std::size_t cache_mib = 32;
  /// How many pages the write-ahead log gathers before they are copied into the database file
  /// (SQLite's wal_autocheckpoint; 1 to kSqliteMaxWalPages). The store copies them on a thread
  /// and a connection of its own, so no call waits for a copy; the log file grows to about four
  /// times this (16 MiB with 4 KiB pages by default) before it starts over.
  std::size_t wal_autocheckpoint_pages = 1000;
};

/// The schema version this build of opsgraph writes; files at a newer version are refused.
inline constexpr int kSqliteSchemaVersion = 5;

class OPSGRAPH_API SqliteStore final : public TaskStore,
                                       public Checkpointer,
                                       public KeyStore,
                                       public LeaseFencedCheckpointer {
 public:
  /// Opens (or creates) the database at `path` and brings its schema up to kSqliteSchemaVersion.
  /// Errors: invalid_argument (bad options), not_found (missing file and !create_if_missing),
  /// storage (not a database, a schema newer than this build, I/O failures).
  static result<std::unique_ptr<SqliteStore>> open(std::string_view path,
                                                   SqliteOptions options = {},
                                                   const Clock& clock = Clock::system());
  ~SqliteStore() override;
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  result<Created> create(TaskRecord record) override;
  result<Created> create_with_events(TaskRecord record, std::span<const NewEvent> events) override;
  result<TaskRecord> get(std::string_view id) override;
  result<std::optional<TaskRecord>> find_by_idempotency_key(std::string_view key) override;
  result<TaskRecord> update(const TaskRecord& record, std::uint64_t expected_version) override;
  result<Updated> update_with_events(TaskRecord record, std::uint64_t expected_version,
                                     std::span<const NewEvent> events) override;
  result<ListPage> list(const ListQuery& query) override;
  result<TaskEvent> append_event(std::string_view task_id, std::string_view type,
                                 std::string_view data_json) override;
  result<std::vector<TaskEvent>> events(std::string_view task_id, std::uint64_t after_seq,
                                        std::size_t limit) override;
  result<std::optional<TaskRecord>> claim(std::string_view worker,
                                          std::chrono::milliseconds ttl) override;
  result<Lease> renew(std::string_view id, std::uint64_t token,
                      std::chrono::milliseconds ttl) override;
  result<void> release(std::string_view id, std::uint64_t token) override;
  /// One statement, so one snapshot of the file, served from indexes (see docs/store.md).
  result<TaskCounts> count_tasks() override;

  /// Stamps created_at with the store's clock when the caller left it at the epoch.
  result<void> put(const Checkpoint& checkpoint) override;
  result<std::optional<Checkpoint>> latest(std::string_view run_id) override;
  result<std::vector<Checkpoint>> history(std::string_view run_id, std::size_t limit) override;
  result<void> erase(std::string_view run_id) override;
  result<void> erase_runs(std::span<const std::string> run_ids) override;
  result<void> put_leased(const Checkpoint& checkpoint, std::uint64_t lease_token) override;

  result<ApiKey> add_key(ApiKey key) override;
  result<std::optional<ApiKey>> find_key(std::string_view secret_hash) override;
  result<std::vector<ApiKey>> list_keys() override;
  result<ApiKey> revoke_key(std::string_view id, std::string_view actor) override;

  bool blocking() const noexcept override { return true; }

  /// The schema version recorded in the file (kSqliteSchemaVersion once open() succeeded).
  result<int> schema_version();

 private:
  struct Impl;
  explicit SqliteStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace opsgraph::store
