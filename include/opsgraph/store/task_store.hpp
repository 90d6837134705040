#pragma once
// opsgraph::store::TaskStore — durable task records with optimistic concurrency, idempotency
// keys, filtered listing, an append-only event log per task, and leases that hand runnable work
// to one worker at a time (a dead worker's lease expires and the task is claimed again).
//
// Implementations are thread-safe. Calls may block on I/O when blocking() is true; callers on an
// io thread then make them from a BlockingPool. The store knows nothing of what tasks mean.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <opsgraph/core/result.hpp>
#include <opsgraph/export.hpp>
#include <opsgraph/store/list_query.hpp>
#include <opsgraph/store/task_event.hpp>
#include <opsgraph/store/task_record.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace opsgraph::store {

/// What TaskStore::update_with_events stored: the record at its new version and the events as
/// appended (sequence numbers and times filled in).
struct Updated {
  TaskRecord record;
  std::vector<TaskEvent> events;
};

/// What TaskStore::count_tasks read: how many tasks the store holds in each status, and the
/// queue depth. A plain value, one snapshot of the store.
struct TaskCounts {
  /// Tasks per status; a status no task has is absent (never 0).
  std::map<std::string, std::uint64_t> by_status;
  /// Tasks that are runnable and held by no live lease: those claim() could hand out now.
  std::uint64_t queued_unclaimed = 0;

  friend bool operator==(const TaskCounts&, const TaskCounts&) = default;
};

/// The longest task id, idempotency key, worker name, event type or run id accepted, in bytes.
inline constexpr std::size_t kMaxKeyBytes = 256;
/// The most events one events() call returns.
inline constexpr std::size_t kMaxEventPage = 1000;
/// The longest lease claim() and renew() grant.
inline constexpr std::chrono::milliseconds kMaxLeaseTtl = std::chrono::hours{24 * 365};

/// What TaskStore::watch_work() returns: while it lives, the store calls its callback. Destroying
/// it waits for a call in progress, so nothing is called afterwards.
class OPSGRAPH_API WorkWatch {
 public:
  virtual ~WorkWatch() = default;
};

class OPSGRAPH_API TaskStore {
 public:
  virtual ~TaskStore() = default;

  /// Stores a new task at version 1, stamped with the store's clock. If its idempotency key is
  /// already known, stores nothing and returns the existing record with created = false.
  /// Errors: invalid_argument (empty or oversized id/key), conflict (the id exists).
  virtual result<Created> create(TaskRecord record) = 0;

  /// As create(), and when the task is created its first `events` (numbered from 1) are stored
  /// in the same change: nobody, not a worker that claims the task at once, sees the task
  /// without them or appends before them. Nothing is appended when the idempotency key is
  /// known. Errors: as create(), and invalid_argument (an empty or oversized event type); on any
  /// error nothing is stored.
  virtual result<Created> create_with_events(TaskRecord record,
                                             std::span<const NewEvent> events) = 0;

  /// Errors: not_found.
  virtual result<TaskRecord> get(std::string_view id) = 0;

  /// The task created with `key`, or nullopt. Errors: invalid_argument (empty key).
  virtual result<std::optional<TaskRecord>> find_by_idempotency_key(std::string_view key) = 0;

  /// Compare-and-swap: when the stored version is `expected_version`, replaces status, stage,
  /// runnable and body with `record`'s (id, owner, idempotency key and lease stay as stored) and
  /// returns the stored record at version + 1. Errors: not_found, conflict (another version).
  virtual result<TaskRecord> update(const TaskRecord& record, std::uint64_t expected_version) = 0;

  /// update() and append_event() of each of `events`, in order, as one atomic change: a reader
  /// never sees the new record without its events, nor the events without it, and on any error
  /// nothing is stored. `record` is taken as create() takes it: moved in, a store may hand its
  /// body back in the returned record rather than copy the one it keeps. Errors: as for
  /// update(), and invalid_argument (an empty or oversized event type).
  virtual result<Updated> update_with_events(TaskRecord record, std::uint64_t expected_version,
                                             std::span<const NewEvent> events) = 0;

  /// One page of the tasks matching `query`, newest first. Errors: invalid_argument (limit out
  /// of range, too many statuses, a malformed cursor).
  virtual result<ListPage> list(const ListQuery& query) = 0;

  /// Appends an event with the task's next sequence number. Errors: invalid_argument (empty
  /// type), not_found (no such task).
  virtual result<TaskEvent> append_event(std::string_view task_id, std::string_view type,
                                         std::string_view data_json) = 0;

  /// The task's events with seq > after_seq, in order, at most `limit` (1..kMaxEventPage).
  /// Errors: invalid_argument, not_found (no such task).
  virtual result<std::vector<TaskEvent>> events(std::string_view task_id, std::uint64_t after_seq,
                                                std::size_t limit) = 0;

  /// Leases the oldest runnable task (created_at, then id) that no live lease holds to `worker`
  /// until now + ttl, with the task's next fencing token; its version goes up by one, so an
  /// update based on what an earlier holder read loses its compare-and-swap. Nullopt when no
  /// task is claimable. Errors: invalid_argument (empty worker, ttl outside 1 ms..kMaxLeaseTtl).
  virtual result<std::optional<TaskRecord>> claim(std::string_view worker,
                                                  std::chrono::milliseconds ttl) = 0;

  /// Extends the live lease of `token` to now + ttl. Errors: not_found, conflict (the task's
  /// lease is absent, expired, or has another token), invalid_argument (ttl out of range).
  virtual result<Lease> renew(std::string_view id, std::uint64_t token,
                              std::chrono::milliseconds ttl) = 0;

  /// Ends the live lease of `token`; the task is claimable again if it is still runnable.
  /// Errors: not_found, conflict (as for renew).
  virtual result<void> release(std::string_view id, std::uint64_t token) = 0;

  /// How many tasks the store holds in each status, and how many of them are runnable with no
  /// live lease by the store's clock (the queue depth: the tasks claim() could pick now), read as
  /// one consistent snapshot. Meant to be polled (a metrics endpoint): it writes nothing and takes
  /// no write lock.
  virtual result<TaskCounts> count_tasks() = 0;

  /// Asks to have `on_work` called whenever a task may have become claimable because of another
  /// process (created or made runnable there, or released), for as long as the returned watch
  /// lives; it must not outlive the store. Calls come on a thread of the store's, may be
  /// spurious and name no task; `on_work` must be quick and must not call the store or destroy
  /// the watch. Null when the store hears of no other process's work (the default; MemoryStore,
  /// SqliteStore): a worker then finds it by polling. PostgresStore answers with LISTEN/NOTIFY.
  virtual std::unique_ptr<WorkWatch> watch_work(std::function<void()> on_work);

  /// True when calls wait on disk or network.
  virtual bool blocking() const noexcept = 0;
};

}  // namespace opsgraph::store
