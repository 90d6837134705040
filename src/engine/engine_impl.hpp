#pragma once
// The Engine's insides, shared by its source files: the parts built at create(), the tasks this
// engine holds, and the worker thread that claims and renews them.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <opsgraph/coordinator/coordinator.hpp>
#include <opsgraph/core/blocking_pool.hpp>
#include <opsgraph/core/id.hpp>
#include <opsgraph/core/runtime.hpp>
#include <opsgraph/engine/engine.hpp>
#include <opsgraph/graph/runner.hpp>
#include <opsgraph/router/rule_router.hpp>
#include <set>
#include <span>
#include <string>
#include <thread>

#include "finished_runs.hpp"
#include "notifier.hpp"
#include "versioned_cache.hpp"

namespace opsgraph::engine {

/// The tasks this engine runs, with the fencing token of each one's lease and the time until which
/// nobody else can hold it. Thread-safe.
class HeldTasks {
 public:
  using SteadyTime = std::chrono::steady_clock::time_point;

  /// `sure_until`: a point on this machine's steady clock before the lease can have expired
  /// (taken before the claim or renewal was asked for, plus most of the lease's length).
  void add(const std::string& id, std::uint64_t token, SteadyTime sure_until);
  /// A renewal of `token` succeeded: the lease is sure until `sure_until`.
  void renewed(const std::string& id, std::uint64_t token, SteadyTime sure_until);
  /// Forgets the task if `token` is still the one held (a newer claim of it stays).
  void remove(const std::string& id, std::uint64_t token);
  std::optional<std::uint64_t> token_of(std::string_view id) const;
  /// Whether this engine holds the task and its lease cannot have run out before `at`.
  bool surely_held(std::string_view id, SteadyTime at) const;
  std::vector<std::pair<std::string, std::uint64_t>> all() const;
  std::size_t size() const;

 private:
  struct Held {
    std::uint64_t token = 0;
    SteadyTime sure_until{};
  };
  mutable std::mutex mutex_;
  std::map<std::string, Held, std::less<>> held_;
};

/// A task's record is created at version 1 and each claim adds one: a record claimed at this
/// version was changed by nothing but that claim, so no run of the task has ever started.
inline constexpr std::uint64_t kFirstClaimVersion = 2;

struct detail::EngineCore : std::enable_shared_from_this<detail::EngineCore> {
  // First, so destroyed last: everything below (the provider in the options, the runner, the
  // graph) may hold work on its executor.
  std::unique_ptr<Runtime> runtime;
  EngineOptions options;
  std::string worker_id;
  std::optional<router::RuleRouter> router;
  std::shared_ptr<coordinator::TaskJournal> journal;
  std::optional<graph::CompiledGraph<coordinator::TaskState>> graph;
  std::unique_ptr<graph::Runner> runner;
  IdGenerator ids;
  detail::Notifier notifier;
  HeldTasks held;
  detail::FinishedRuns finished_runs;
  // Finished tasks' JSON, for status polls (status_json). Finished tasks' snapshots are a
  // function of their records alone; a running task's duration grows with the clock.
  detail::VersionedCache<std::shared_ptr<const std::string>> finished{4096};
  // The states of tasks this engine has just created, for its own first claim of them (the
  // record's version then): that claim need not decode the body just encoded.
  detail::VersionedCache<std::unique_ptr<coordinator::TaskState>> fresh{256};
  // Tasks execute() has stored but whose "created" event it has not yet handed to subscribers. A
  // claim may come the moment the record exists; the run waits for the announcement, so that
  // subscribers see a task's events in order.
  std::mutex announcing_mutex;
  std::set<std::string, std::less<>> announcing;

  // The worker: claims runnable tasks and renews the leases of held ones.
  std::thread worker;
  std::mutex worker_mutex;
  std::condition_variable worker_wake;
  bool nudged = false;
  std::atomic<bool> stopping{false};
  // Claimed tasks whose runs have not ended yet (a claim counts before its run starts).
  std::atomic<std::size_t> running{0};

  explicit EngineCore(EngineOptions o)
      : options(std::move(o)),
        ids(*options.clock),
        finished_runs(options.checkpointer, options.logger) {}

  store::TaskStore& store() { return *options.store; }
  TimePoint now() const { return options.clock->now(); }

  /// Whether execute() is still announcing the task (see `announcing`).
  bool is_announcing(std::string_view task_id);
  /// Asks the worker thread to look for work now.
  void wake_worker();
  /// Claims what became runnable (a task created or decided here, a run ended here): at once on
  /// the calling thread when the store does not block, so the task starts without a hop through
  /// the worker thread; otherwise through the worker. Does nothing when this engine runs no tasks.
  void look_for_work();
  void worker_loop();
  /// Claims runnable tasks while this engine has room for them and starts their runs on the
  /// executor. Thread-safe: the worker thread and, for stores that do not block, any caller.
  void claim_while_capacity();
  void renew_leases();

  /// Appends an event to the task's trail and hands it to subscribers.
  void record_event(std::string_view task_id, std::string_view type, const json::Value& data);

  /// Compare-and-swaps the task's record from `expected_version` together with its audit events
  /// in one store change, then hands the events to subscribers. Errors: as for
  /// TaskStore::update_with_events (conflict when the record moved on).
  result<store::TaskRecord> update_task(store::TaskRecord record, std::uint64_t expected_version,
                                        std::span<const store::NewEvent> events);

  /// Runs one claimed task to its next stop and settles its record; its lease is sure until
  /// `sure_until`. `first_claim`: no run of the task has started before, so there is no
  /// checkpoint to look for. `kept`: the state this engine created the task with, when the claim
  /// found the record as created, or null (the body is decoded).
  Task<void> drive(store::TaskRecord claimed, HeldTasks::SteadyTime sure_until, bool first_claim,
                   std::unique_ptr<coordinator::TaskState> kept);

  /// Runs a store call on the blocking pool when the store blocks, inline otherwise.
  template <class F>
  Task<opsgraph::detail::blocking_result_t<F>> on_store(F fn);
};

OPSGRAPH_COROUTINES_BEGIN
template <class F>
Task<opsgraph::detail::blocking_result_t<F>> detail::EngineCore::on_store(F fn) {
  if (!options.store->blocking())
    co_return fn();
  auto job = runtime->blocking().run(std::move(fn));
  auto done = co_await std::move(job);
  co_return done;
}
OPSGRAPH_COROUTINES_END

/// The coordinator's TaskJournal over the engine's store.
std::shared_ptr<coordinator::TaskJournal> make_store_journal(
    std::weak_ptr<detail::EngineCore> engine);

}  // namespace opsgraph::engine
