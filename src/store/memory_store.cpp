#include <algorithm>
#include <cassert>
#include <deque>
#include <iterator>
#include <limits>
#include <map>
#include <mutex>
#include <opsgraph/store/memory_store.hpp>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>

#include "core/string_hash.hpp"
#include "store/memory_keys.hpp"
#include "store/validation.hpp"

namespace opsgraph::store {
namespace {

// Tasks in listing and claiming order: (created_at in ms, id).
using OrderKey = std::pair<std::int64_t, std::string>;

OrderKey order_key(const TaskRecord& record) {
  return {record.created_at.time_since_epoch().count(), record.id};
}

// Where a task sits in the claim indexes: not runnable, claimable, or runnable under a lease
// that was live when it was indexed (filed by its expiry).
enum class Slot { none, claimable, leased };

// An event as the store keeps it: its task is the entry's and its seq its position in the log, so
// a store holding thousands of finished tasks does not keep a copy of the task id per event.
struct LoggedEvent {
  std::string type;
  std::string data;
  TimePoint at{};
};

struct Entry {
  TaskRecord record;
  // The newest fencing token issued for the task; it outlives released leases so tokens never
  // repeat.
  std::uint64_t last_token = 0;
  std::vector<LoggedEvent> events;
  Slot slot = Slot::none;
  TimePoint filed_expiry{};
};

bool matches(const ListQuery& query, const TaskRecord& record) {
  if (!query.statuses.empty() && std::find(query.statuses.begin(), query.statuses.end(),
                                           record.status) == query.statuses.end()) {
    return false;
  }
  if (query.owner && record.owner != *query.owner)
    return false;
  if (query.created_since && record.created_at < *query.created_since)
    return false;
  return !query.created_before || record.created_at < *query.created_before;
}

}  // namespace

struct MemoryStore::State {
  State(const Clock& c, MemoryStoreOptions o) : clock(c), options(o) {
    options.checkpoint_history = std::max<std::size_t>(options.checkpoint_history, 1);
  }

  // Appends checked events to the task's log, the mutex held; returns them as stored.
  static std::vector<TaskEvent> append(Entry& entry, std::span<const NewEvent> events,
                                       TimePoint at) {
    std::vector<TaskEvent> appended;
    appended.reserve(events.size());
    for (const auto& event : events) {
      entry.events.push_back(LoggedEvent{event.type, event.data, at});
      appended.push_back(event_at(entry, entry.events.size() - 1));
    }
    return appended;
  }

  // The event at `index` of the entry's log (seq index + 1), as TaskStore hands it out.
  static TaskEvent event_at(const Entry& entry, std::size_t index) {
    const auto& logged = entry.events[index];
    return TaskEvent{entry.record.id, index + 1, logged.type, logged.data, logged.at};
  }

  // Appends a checked checkpoint to its run, the mutex held.
  result<void> put(const Checkpoint& checkpoint) {
    auto& run = runs[checkpoint.run_id];
    if (!run.empty() && run.back().step >= checkpoint.step)
      return fail(detail::checkpoint_conflict(checkpoint, run.back().step));
    auto& stored = run.emplace_back(checkpoint);
    stored.created_at = detail::checkpoint_time(checkpoint, clock.now());
    while (run.size() > options.checkpoint_history)
      run.pop_front();
    return ok();
  }

  Entry* find(std::string_view id) {
    auto it = tasks.find(id);
    return it == tasks.end() ? nullptr : &it->second;
  }

  // Files the task in the claim indexes after its runnable flag or lease changed, so that a
  // claim costs O(log n) however many tasks are running: claimable holds the runnable tasks no
  // live lease holds, leased the runnable ones under a lease, ordered by when it expires.
  void reindex(Entry& entry, TimePoint now) {
    const auto key = order_key(entry.record);
    if (entry.slot == Slot::claimable)
      claimable.erase(key);
    else if (entry.slot == Slot::leased)
      leased.erase({entry.filed_expiry, key});
    entry.slot = Slot::none;
    const auto& record = entry.record;
    if (!record.runnable)
      return;
    if (record.lease && detail::is_live(*record.lease, now)) {
      entry.slot = Slot::leased;
      entry.filed_expiry = record.lease->expires_at;
      leased.insert({entry.filed_expiry, key});
    } else {
      entry.slot = Slot::claimable;
      claimable.insert(key);
    }
  }

  // Keeps tasks_by_status in step with a task entering or leaving `status`.
  void count_in(const std::string& status) { ++tasks_by_status[status]; }
  void count_out(const std::string& status) {
    auto it = tasks_by_status.find(status);
    if (--it->second == 0)
      tasks_by_status.erase(it);
  }

  // Makes the tasks whose leases have expired by `now` claimable again.
  void reclaim_expired(TimePoint now) {
    while (!leased.empty() && !(now < leased.begin()->first)) {
      auto& entry = tasks.at(leased.begin()->second.second);
      reindex(entry, now);
    }
  }

  const Clock& clock;
  MemoryStoreOptions options;
  std::mutex mutex;
  // By id and by idempotency key: hashed, since every get, update and claim looks a task up and a
  // store keeps every task it was given (ordered trees cost a dozen string compares each).
  std::unordered_map<std::string, Entry, opsgraph::detail::StringHash, std::equal_to<>> tasks;
  std::unordered_map<std::string, std::string, opsgraph::detail::StringHash, std::equal_to<>>
      ids_by_key;
  std::set<OrderKey> by_created;
  std::set<OrderKey> claimable;
  std::set<std::pair<TimePoint, OrderKey>> leased;
  // How many tasks have each status (none at 0), so count_tasks() costs O(statuses).
  std::map<std::string, std::uint64_t> tasks_by_status;
  std::map<std::string, std::deque<Checkpoint>, std::less<>> runs;
  detail::KeyTable keys;
};

MemoryStore::MemoryStore(const Clock& clock, MemoryStoreOptions options)
    : state_(std::make_unique<State>(clock, options)) {}

MemoryStore::~MemoryStore() = default;

result<Created> MemoryStore::create(TaskRecord record) {
  return create_with_events(std::move(record), {});
}

result<Created> MemoryStore::create_with_events(TaskRecord record,
                                                std::span<const NewEvent> events) {
  OPSGRAPH_TRY(detail::check_new_task(record));
  OPSGRAPH_TRY(detail::check_new_events(events));
  std::lock_guard lock(state_->mutex);
  if (record.idempotency_key) {
    auto known = state_->ids_by_key.find(*record.idempotency_key);
    if (known != state_->ids_by_key.end()) {
      return Created{state_->tasks.at(known->second).record, false};
    }
  }
  if (state_->find(record.id))
    return fail(errc::conflict, "task " + record.id + " exists");
  auto now = state_->clock.now();
  record.version = 1;
  record.created_at = now;
  record.updated_at = now;
  record.lease.reset();
  if (record.idempotency_key)
    state_->ids_by_key.emplace(*record.idempotency_key, record.id);
  state_->by_created.insert(order_key(record));
  state_->count_in(record.status);
  auto& entry = state_->tasks[record.id];
  entry.record = std::move(record);
  state_->reindex(entry, now);
  return Created{entry.record, true, state_->append(entry, events, now)};
}

result<TaskRecord> MemoryStore::get(std::string_view id) {
  std::lock_guard lock(state_->mutex);
  auto* entry = state_->find(id);
  if (!entry)
    return fail(detail::task_not_found(id));
  return entry->record;
}

result<std::optional<TaskRecord>> MemoryStore::find_by_idempotency_key(std::string_view key) {
  OPSGRAPH_TRY(detail::check_key("idempotency key", key));
  std::lock_guard lock(state_->mutex);
  auto known = state_->ids_by_key.find(key);
  if (known == state_->ids_by_key.end())
    return std::optional<TaskRecord>{};
  return std::optional<TaskRecord>{state_->tasks.at(known->second).record};
}

result<TaskRecord> MemoryStore::update(const TaskRecord& record, std::uint64_t expected_version) {
  OPSGRAPH_TRY(auto updated, update_with_events(record, expected_version, {}));
  return std::move(updated.record);
}

result<Updated> MemoryStore::update_with_events(TaskRecord record, std::uint64_t expected_version,
                                                std::span<const NewEvent> events) {
  OPSGRAPH_TRY(detail::check_new_events(events));
  std::lock_guard lock(state_->mutex);
  auto* entry = state_->find(record.id);
  if (!entry)
    return fail(detail::task_not_found(record.id));
  auto& stored = entry->record;
  if (stored.version != expected_version) {
    return fail(detail::version_conflict(record.id, expected_version, stored.version));
  }
  const auto now = state_->clock.now();
  if (stored.status != record.status) {
    state_->count_out(stored.status);
    state_->count_in(record.status);
  }
  stored.status = record.status;
  stored.stage = record.stage;
  // A fresh string of exactly the body's size: assigning into the old one would grow it to up to
  // twice the size as the record grows, and a finished task keeps its record for good.
  stored.body = std::string(record.body);
  stored.runnable = record.runnable;
  stored.version += 1;
  stored.updated_at = now;
  state_->reindex(*entry, now);
  // The caller's record, completed with what the store keeps, is the stored one: handing it back
  // copies the few short fields rather than the body a second time.
  record.owner = stored.owner;
  record.idempotency_key = stored.idempotency_key;
  record.version = stored.version;
  record.created_at = stored.created_at;
  record.updated_at = stored.updated_at;
  record.lease = stored.lease;
  assert(record == stored);  // a field added to TaskRecord belongs in the list above
  return Updated{std::move(record), state_->append(*entry, events, now)};
}

result<ListPage> MemoryStore::list(const ListQuery& query) {
  OPSGRAPH_TRY(auto cursor, detail::check_list_query(query));
  std::lock_guard lock(state_->mutex);
  // Everything ordered before `bound` is a candidate; walk it newest first.
  OrderKey bound{std::numeric_limits<std::int64_t>::max(), std::string{}};
  if (query.created_before)
    bound = {query.created_before->time_since_epoch().count(), {}};
  if (cursor)
    bound = std::min(bound, OrderKey{cursor->created_ms, cursor->id});
  ListPage page;
  auto start = std::make_reverse_iterator(state_->by_created.lower_bound(bound));
  for (auto it = start; it != state_->by_created.rend(); ++it) {
    const auto& record = state_->tasks.at(it->second).record;
    if (query.created_since && record.created_at < *query.created_since)
      break;
    if (!matches(query, record))
      continue;
    if (page.tasks.size() == query.limit) {
      const auto& last = page.tasks.back();
      page.next_cursor =
          detail::encode_cursor({last.created_at.time_since_epoch().count(), last.id});
      break;
    }
    page.tasks.push_back(record);
  }
  return page;
}

result<TaskEvent> MemoryStore::append_event(std::string_view task_id, std::string_view type,
                                            std::string_view data_json) {
  OPSGRAPH_TRY(detail::check_key("event type", type));
  std::lock_guard lock(state_->mutex);
  auto* entry = state_->find(task_id);
  if (!entry)
    return fail(detail::task_not_found(task_id));
  entry->events.push_back(
      LoggedEvent{std::string(type), std::string(data_json), state_->clock.now()});
  return State::event_at(*entry, entry->events.size() - 1);
}

result<std::vector<TaskEvent>> MemoryStore::events(std::string_view task_id,
                                                   std::uint64_t after_seq, std::size_t limit) {
  OPSGRAPH_TRY(detail::check_event_page(limit));
  std::lock_guard lock(state_->mutex);
  auto* entry = state_->find(task_id);
  if (!entry)
    return fail(detail::task_not_found(task_id));
  // seq n sits at index n - 1.
  const auto size = entry->events.size();
  const auto first = static_cast<std::size_t>(std::min<std::uint64_t>(after_seq, size));
  const auto last = static_cast<std::size_t>(std::min<std::uint64_t>(first + limit, size));
  std::vector<TaskEvent> page;
  page.reserve(last - first);
  for (auto index = first; index < last; ++index)
    page.push_back(State::event_at(*entry, index));
  return page;
}

result<std::optional<TaskRecord>> MemoryStore::claim(std::string_view worker,
                                                     std::chrono::milliseconds ttl) {
  OPSGRAPH_TRY(detail::check_key("worker", worker));
  OPSGRAPH_TRY(detail::check_ttl(ttl));
  std::lock_guard lock(state_->mutex);
  auto now = state_->clock.now();
  state_->reclaim_expired(now);
  if (state_->claimable.empty())
    return std::optional<TaskRecord>{};
  auto& entry = state_->tasks.at(state_->claimable.begin()->second);
  auto& record = entry.record;
  record.lease = Lease{std::string(worker), ++entry.last_token, now + ttl};
  record.version += 1;
  record.updated_at = now;
  state_->reindex(entry, now);
  return std::optional<TaskRecord>{record};
}

result<Lease> MemoryStore::renew(std::string_view id, std::uint64_t token,
                                 std::chrono::milliseconds ttl) {
  OPSGRAPH_TRY(detail::check_ttl(ttl));
  std::lock_guard lock(state_->mutex);
  auto* entry = state_->find(id);
  if (!entry)
    return fail(detail::task_not_found(id));
  auto now = state_->clock.now();
  auto& lease = entry->record.lease;
  OPSGRAPH_TRY(detail::check_lease_holder(id, lease, token, now));
  lease->expires_at = now + ttl;
  state_->reindex(*entry, now);
  return *lease;
}

result<void> MemoryStore::release(std::string_view id, std::uint64_t token) {
  std::lock_guard lock(state_->mutex);
  auto* entry = state_->find(id);
  if (!entry)
    return fail(detail::task_not_found(id));
  const auto now = state_->clock.now();
  OPSGRAPH_TRY(detail::check_lease_holder(id, entry->record.lease, token, now));
  entry->record.lease.reset();
  state_->reindex(*entry, now);
  return ok();
}

result<TaskCounts> MemoryStore::count_tasks() {
  std::lock_guard lock(state_->mutex);
  state_->reclaim_expired(state_->clock.now());
  return TaskCounts{state_->tasks_by_status, state_->claimable.size()};
}

result<void> MemoryStore::put(const Checkpoint& checkpoint) {
  OPSGRAPH_TRY(detail::check_checkpoint(checkpoint));
  std::lock_guard lock(state_->mutex);
  return state_->put(checkpoint);
}

result<void> MemoryStore::put_leased(const Checkpoint& checkpoint, std::uint64_t lease_token) {
  OPSGRAPH_TRY(detail::check_checkpoint(checkpoint));
  std::lock_guard lock(state_->mutex);
  auto* entry = state_->find(checkpoint.run_id);
  if (!entry)
    return fail(detail::task_not_found(checkpoint.run_id));
  OPSGRAPH_TRY(detail::check_lease_holder(checkpoint.run_id, entry->record.lease, lease_token,
                                          state_->clock.now()));
  return state_->put(checkpoint);
}

result<std::optional<Checkpoint>> MemoryStore::latest(std::string_view run_id) {
  std::lock_guard lock(state_->mutex);
  auto it = state_->runs.find(run_id);
  if (it == state_->runs.end() || it->second.empty())
    return std::optional<Checkpoint>{};
  return std::optional<Checkpoint>{it->second.back()};
}

result<std::vector<Checkpoint>> MemoryStore::history(std::string_view run_id, std::size_t limit) {
  std::lock_guard lock(state_->mutex);
  auto it = state_->runs.find(run_id);
  if (it == state_->runs.end())
    return std::vector<Checkpoint>{};
  const auto& run = it->second;
  auto count = std::min(limit, run.size());
  return std::vector<Checkpoint>(run.end() - static_cast<std::ptrdiff_t>(count), run.end());
}

result<void> MemoryStore::erase(std::string_view run_id) {
  const std::string id(run_id);
  return erase_runs({&id, 1});
}

result<void> MemoryStore::erase_runs(std::span<const std::string> run_ids) {
  std::lock_guard lock(state_->mutex);
  for (const auto& run_id : run_ids) {
    if (auto it = state_->runs.find(run_id); it != state_->runs.end())
      state_->runs.erase(it);
  }
  return ok();
}

result<ApiKey> MemoryStore::add_key(ApiKey key) {
  OPSGRAPH_TRY(detail::check_new_key(key));
  std::lock_guard lock(state_->mutex);
  return state_->keys.add(std::move(key), state_->clock.now());
}

result<std::optional<ApiKey>> MemoryStore::find_key(std::string_view secret_hash) {
  OPSGRAPH_TRY(detail::check_secret_hash(secret_hash));
  std::lock_guard lock(state_->mutex);
  return state_->keys.find(secret_hash);
}

result<std::vector<ApiKey>> MemoryStore::list_keys() {
  std::lock_guard lock(state_->mutex);
  return state_->keys.list();
}

result<ApiKey> MemoryStore::revoke_key(std::string_view id, std::string_view actor) {
  OPSGRAPH_TRY(detail::check_revoking_actor(actor));
  std::lock_guard lock(state_->mutex);
  return state_->keys.revoke(id, actor, state_->clock.now());
}

}  // namespace opsgraph::store
