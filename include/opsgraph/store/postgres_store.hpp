#pragma once
// opsgraph::store::PostgresStore — the TaskStore, Checkpointer and KeyStore for several processes
// on several machines: one PostgreSQL database (one schema of it), reached through a pool of
// connections.
//
// Thread-safe: each call borrows a pooled connection for its duration, so up to pool_size calls
// run at once. Every call blocks on the network. Timestamps and lease expiry come from the Clock
// passed to open() (never from the server), which must outlive the store; processes sharing a
// schema should keep their clocks in step (NTP), as a lease is live until its holder's clock says
// otherwise. No libpq type appears here.

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

/// Settings of a PostgresStore, fixed when it is opened. A plain value; the server is named by
/// the conninfo string or URL passed to open() separately.
struct PostgresOptions {
  /// The most connections the store holds at once (1..64); they are opened on first use.
  std::size_t pool_size = 4;
  /// How long one attempt to connect may take before it counts as failed.
  std::chrono::milliseconds connect_timeout{5000};
  /// How long a call waits for a free pooled connection before failing with a retryable
  /// errc::storage.
  std::chrono::milliseconds acquire_timeout{30000};
  /// After a connection is lost (a server restart, a network failure), the store connects again
  /// on the next call, retrying with exponential backoff from reconnect_backoff_min up to
  /// reconnect_backoff_max between attempts for at most reconnect_timeout; then the call fails
  /// with a retryable errc::storage.
  std::chrono::milliseconds reconnect_backoff_min{50};
  std::chrono::milliseconds reconnect_backoff_max{2000};
  std::chrono::milliseconds reconnect_timeout{10000};
  /// How often wait_for_work() looks for work itself while LISTEN is unavailable.
  std::chrono::milliseconds poll_interval{1000};
  /// How many of a run's newest checkpoints are kept (at least 1).
  std::size_t checkpoint_history = 8;
  /// The schema holding opsgraph's tables, created when missing: a lowercase SQL identifier
  /// ([a-z_][a-z0-9_]*, at most 63 bytes). Stores with different schemas share nothing.
  std::string schema = "opsgraph";
};

/// The schema version this build of opsgraph writes; schemas at a newer version are refused.
inline constexpr int kPostgresSchemaVersion = 5;

class OPSGRAPH_API PostgresStore final : public TaskStore,
                                         public Checkpointer,
                                         public KeyStore,
                                         public LeaseFencedCheckpointer {
 public:
  /// Connects to the server named by `conninfo` (`host=... dbname=...` or a
  /// `postgresql://user@host:port/db` URL, as libpq reads them) and brings the schema up to
  /// kPostgresSchemaVersion under an advisory lock, so processes opening a new database at once
  /// create it once. Errors: invalid_argument (bad options, a malformed conninfo), storage (the
  /// server cannot be reached within reconnect_timeout — retryable —, authentication fails, the
  /// schema is newer than this build).
  static result<std::unique_ptr<PostgresStore>> open(std::string_view conninfo,
                                                     PostgresOptions options = {},
                                                     const Clock& clock = Clock::system());
  ~PostgresStore() override;
  PostgresStore(const PostgresStore&) = delete;
  PostgresStore& operator=(const PostgresStore&) = delete;

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
  /// Picks the task with `FOR NO KEY UPDATE SKIP LOCKED`, so concurrent claimers never wait for
  /// one another and never take the same task.
  result<std::optional<TaskRecord>> claim(std::string_view worker,
                                          std::chrono::milliseconds ttl) override;
  result<Lease> renew(std::string_view id, std::uint64_t token,
                      std::chrono::milliseconds ttl) override;
  result<void> release(std::string_view id, std::uint64_t token) override;
  /// One statement, so one snapshot of the schema (see docs/store.md).
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

  /// For an idle worker: returns true at once when a task is claimable now, else waits up to
  /// `timeout` and returns true as soon as one may have become claimable — a task created
  /// runnable, made runnable or released by any process on this schema (PostgreSQL
  /// LISTEN/NOTIFY), or a lease that expired — and false when the time ran out. True is a hint:
  /// another worker may claim the task first. While the listening connection is down the store
  /// polls every poll_interval instead. The first call starts one listening connection and thread
  /// that live as long as the store. Errors: invalid_argument (timeout outside 0..24 h), storage.
  result<bool> wait_for_work(std::chrono::milliseconds timeout);

  /// Calls `on_work` on the listening thread on every notice that a task became claimable on
  /// this schema, and when the listening connection comes back after a loss (notices may have
  /// been missed). Starts the listener as wait_for_work() does. See TaskStore::watch_work().
  std::unique_ptr<WorkWatch> watch_work(std::function<void()> on_work) override;

  /// The schema version recorded in the database (kPostgresSchemaVersion once open() succeeded).
  result<int> schema_version();

 private:
  struct Impl;
  explicit PostgresStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace opsgraph::store
