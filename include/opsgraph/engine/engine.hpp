#pragma once
// opsgraph::engine::Engine — the IT workflow as a service inside your process: execute a free-text
// request, and the engine routes it, plans it, holds it for a human when the policy says so,
// diagnoses, writes and checks a script, writes the email and keeps the whole record durable in a
// TaskStore with an audit trail of events.
//
//   engine::EngineOptions options;
//   options.provider = ...;                         // an llm::Provider (OpenAI, replay, yours)
//   options.store = sqlite;  options.checkpointer = sqlite;
//   OPSGRAPH_TRY(auto engine, engine::Engine::create(std::move(options)));
//   OPSGRAPH_TRY(auto task, engine->execute({.request = "APP01 is at 100% CPU ..."}));
//   OPSGRAPH_TRY(task, engine->wait(task.task_id, engine::WaitFor::settled, 60s));
//   if (task.status == coordinator::TaskStatus::waiting_approval)
//     engine->approve(task.task_id, {.actor = "alice"});
//
// Whoever holds an Engine runs tasks: it claims runnable tasks from the store with a lease that
// it renews while it works, so several engines (threads, processes, machines) on one store never
// run a task twice, and a task of an engine that died is picked up again from its last
// checkpoint. Decisions, cancellation and retries are recorded in the store first; the engine
// that holds the task acts on them.
//
// Thread-safe: every member may be called from any thread. The blocking calls must not be made
// from a thread of the engine's own executor. Destroying the Engine stops its work: tasks it was
// running are released unfinished and resume from their last checkpoint under the next engine.

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <opsgraph/agents/agent_spec.hpp>
#include <opsgraph/coordinator/coordinator.hpp>
#include <opsgraph/coordinator/task_snapshot.hpp>
#include <opsgraph/core/clock.hpp>
#include <opsgraph/core/log.hpp>
#include <opsgraph/core/metrics.hpp>
#include <opsgraph/core/result.hpp>
#include <opsgraph/core/task.hpp>
#include <opsgraph/engine/requests.hpp>
#include <opsgraph/export.hpp>
#include <opsgraph/llm/provider.hpp>
#include <opsgraph/safety/script_checker.hpp>
#include <opsgraph/store/checkpointer.hpp>
#include <opsgraph/store/task_event.hpp>
#include <opsgraph/store/task_store.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace opsgraph::engine {

namespace detail {
struct EngineCore;
}

/// What EngineOptions::provider_factory builds a provider with: the engine's executor, and the
/// logger and metrics registry the engine was given.
struct ProviderContext {
  Executor executor;
  Logger logger{};
  /// Null when the engine has none.
  MetricsRegistry* metrics = nullptr;
};

struct EngineOptions {
  /// Where tasks and their events live, and where runs checkpoint; usually one object (a
  /// SqliteStore or MemoryStore is both). Required.
  std::shared_ptr<store::TaskStore> store{};
  std::shared_ptr<store::Checkpointer> checkpointer{};
  /// The model behind every agent. Required, unless provider_factory is set.
  std::shared_ptr<llm::Provider> provider{};
  /// Builds the provider on the engine's own executor (what an HTTP provider needs) when
  /// `provider` is empty.
  std::function<result<std::shared_ptr<llm::Provider>>(const ProviderContext&)> provider_factory{};
  /// Agents replacing built-in ones (by name: planner, diagnostic, automation, writer); a model
  /// set here is sent with that agent's calls. Unlisted agents use the built-in prompt and schema.
  std::vector<agents::AgentSpec> agents{};
  /// A router rule file replacing the built-in rules (docs/router.md); empty keeps them.
  std::string router_rules_path{};
  safety::ScriptCheckerOptions checker{};
  coordinator::CoordinatorPolicy policy{};
  /// Steps of your own, run after writing (see coordinator::CustomStep).
  std::vector<coordinator::CustomStep> custom_steps{};
  /// Threads running tasks' coroutines (0: hardware threads) and blocking work.
  std::size_t io_threads = 0;
  std::size_t blocking_threads = 4;
  /// Tasks this engine runs at once; more wait in the store, queued.
  std::size_t max_running_tasks = 1024;
  /// false: the engine only records (execute, decisions) and another engine runs the tasks.
  bool run_tasks = true;
  /// How long a claimed task stays this engine's without a renewal (renewed every third of it).
  std::chrono::milliseconds lease_ttl{std::chrono::seconds{30}};
  /// How often the store is polled for work this process was not told about (other processes'
  /// tasks, expired leases).
  std::chrono::milliseconds poll_interval{std::chrono::seconds{1}};
  /// A run taking longer than this is cancelled (and recorded as failed with errc::timeout).
  std::chrono::milliseconds task_deadline{std::chrono::minutes{30}};
  /// This engine's name in leases; empty for host:pid:random.
  std::string worker_id{};
  const Clock* clock = &Clock::system();
  Logger logger{};
  /// Where the engine's provider registers its metrics (calls, tokens, errors, latency), for a
  /// `/metrics` endpoint or your own exporter. Optional.
  std::shared_ptr<MetricsRegistry> metrics{};
};

/// One entry of a task's audit trail as subscribers see it: a stored event (seq > 0), or a
/// progress notice that is not stored (seq == 0, type "progress": a node started or finished).
using TaskEvent = store::TaskEvent;

/// An event as the C ABI and the HTTP API show it: {"task_id", "seq", "type", "data" (the stored
/// JSON, parsed), "at"}.
OPSGRAPH_API json::Value event_json(const TaskEvent& event);
using EventCallback = std::function<void(const TaskEvent&)>;

/// Ends a subscription when destroyed (or on reset()).
class OPSGRAPH_API Subscription {
 public:
  Subscription() = default;
  Subscription(Subscription&&) noexcept = default;
  Subscription& operator=(Subscription&&) noexcept;
  ~Subscription();
  void reset() noexcept;

 private:
  friend class Engine;
  explicit Subscription(std::function<void()> cancel) : cancel_(std::move(cancel)) {}
  std::function<void()> cancel_;
};

class OPSGRAPH_API Engine {
 public:
  /// Builds the router, checker, agents and graph and starts the worker. Errors: invalid_argument
  /// (missing store or provider, a bad agent, rule file or policy), not_found (unreadable files).
  static result<std::unique_ptr<Engine>> create(EngineOptions options);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  /// Validates, routes (rules) and stores a new task, queued; returns it at once. Errors:
  /// invalid_argument (empty or non-UTF-8 text, a malformed context), payload_too_large, storage.
  result<coordinator::TaskSnapshot> execute(const ExecuteRequest& request);

  /// Approves the gate the task waits at. Repeating a decision returns the task unchanged.
  /// Errors: not_found; conflict (not waiting for approval, a stale hash, the gate already
  /// rejected); invalid_argument (no hash at script_review).
  result<coordinator::TaskSnapshot> approve(std::string_view task_id,
                                            const ApproveRequest& request);

  /// Rejects the gate the task waits at: the task ends rejected. Errors as for approve.
  result<coordinator::TaskSnapshot> reject(std::string_view task_id, const RejectRequest& request);

  /// Errors: not_found.
  result<coordinator::TaskSnapshot> status(std::string_view task_id);

  /// The task as JSON: json::encode(status(task_id).value()), shared. Finished tasks never change,
  /// so their JSON is remembered (by record version) and a poll of one costs a store read. Errors:
  /// not_found.
  result<std::shared_ptr<const std::string>> status_json(std::string_view task_id);

  /// Errors: invalid_argument (limit, cursor).
  result<TaskPage> list(const TaskQuery& query);

  /// Cancels a task that has not finished; a cancelled one is returned unchanged. Errors:
  /// not_found, conflict (completed, failed or rejected).
  result<coordinator::TaskSnapshot> cancel(std::string_view task_id, std::string_view actor);

  /// Queues a failed task again; it continues from its last checkpoint (finished steps do not run
  /// again). Errors: not_found, conflict (not failed).
  result<coordinator::TaskSnapshot> retry(std::string_view task_id, std::string_view actor);

  /// Waits until the task reaches `what` or `timeout` passes, and returns it as it then is
  /// (check its status: a timeout is not an error). It looks at the task when this engine changes
  /// it, and every 200 ms for changes made by other processes; other tasks' changes do not wake
  /// it. Errors: not_found.
  result<coordinator::TaskSnapshot> wait(std::string_view task_id, WaitFor what,
                                         std::chrono::milliseconds timeout);

  /// The stored events of a task after `after_seq`, oldest first, at most `limit` (1..1000).
  result<std::vector<TaskEvent>> events(std::string_view task_id, std::uint64_t after_seq,
                                        std::size_t limit);

  /// How many tasks the store holds in each status, and how many wait for a worker (the queue
  /// depth), across every engine on the store. Errors: storage.
  result<store::TaskCounts> count_tasks();

  /// Calls `callback` with every event this engine records or reports for `task_id` (every
  /// task when empty), in order per task and one event at a time, from the engine's threads: it
  /// must be quick. It may call back into the engine — approve or reject the task it is told
  /// about, execute, cancel, end this subscription or another — and the events that causes reach
  /// subscribers once it returns. It must not wait() for a change (one it would wait for is
  /// delivered only after it returns) nor destroy the engine.
  Subscription subscribe(std::string task_id, EventCallback callback);

  /// Asynchronous forms: the same calls as coroutines, to be awaited on the engine's executor.
  /// They hold no io thread while a store that blocks (SQLite, PostgreSQL) does its work.
  Task<result<coordinator::TaskSnapshot>> execute_async(ExecuteRequest request);
  Task<result<coordinator::TaskSnapshot>> approve_async(std::string task_id,
                                                        ApproveRequest request);
  Task<result<coordinator::TaskSnapshot>> reject_async(std::string task_id, RejectRequest request);
  Task<result<coordinator::TaskSnapshot>> status_async(std::string task_id);
  Task<result<TaskPage>> list_async(TaskQuery query);
  Task<result<coordinator::TaskSnapshot>> cancel_async(std::string task_id, std::string actor);
  Task<result<coordinator::TaskSnapshot>> retry_async(std::string task_id, std::string actor);
  Task<result<std::vector<TaskEvent>>> events_async(std::string task_id, std::uint64_t after_seq,
                                                    std::size_t limit);
  Task<result<coordinator::TaskSnapshot>> wait_async(std::string task_id, WaitFor what,
                                                     std::chrono::milliseconds timeout);
  Task<result<store::TaskCounts>> count_tasks_async();

  /// The executor the engine's coroutines run on, for work that should share its threads (the
  /// HTTP service serves its connections there).
  Executor executor() const noexcept;

  /// Tasks running in this engine right now.
  std::size_t running_tasks() const noexcept;

 private:
  explicit Engine(std::shared_ptr<detail::EngineCore> core);
  std::shared_ptr<detail::EngineCore> impl_;
};

}  // namespace opsgraph::engine
