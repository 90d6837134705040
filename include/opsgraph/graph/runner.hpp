#pragma once
// opsgraph::graph::Runner — runs compiled graphs: starts runs, resumes interrupted ones, recovers
// runs whose process died (from their last checkpoint), cancels them, and reports their events.
//
// Thread-safe. A Runner either owns its threads (a Runtime) or uses an executor and blocking pool
// that the caller owns and keeps alive longer than the Runner. Each run executes in order on its
// own strand; thousands of runs wait on timers or I/O with no thread held. The blocking calls
// (invoke, resume_sync, ...) must not be made from a thread that drives the Runner's executor.
// Destroying a Runner cancels its active runs and waits for them to stop.

#include <chrono>
#include <cstdint>
#include <memory>
#include <opsgraph/core/blocking_pool.hpp>
#include <opsgraph/core/clock.hpp>
#include <opsgraph/core/log.hpp>
#include <opsgraph/core/result.hpp>
#include <opsgraph/core/runtime.hpp>
#include <opsgraph/core/task.hpp>
#include <opsgraph/export.hpp>
#include <opsgraph/graph/event.hpp>
#include <opsgraph/graph/run_result.hpp>
#include <opsgraph/graph/state_graph.hpp>
#include <opsgraph/store/checkpointer.hpp>
#include <optional>
#include <string>

namespace opsgraph::graph {

struct RunOptions {
  /// The run's id; empty for a new time-ordered UUIDv7. Reusing the id of a run that has
  /// checkpoints fails with errc::conflict.
  std::string run_id{};
  /// The run is cancelled (errc::timeout) this long after it starts; kept across resumes.
  std::optional<std::chrono::milliseconds> deadline{};
  /// A run that takes more steps fails (a cycle that never ends).
  std::uint64_t step_limit = 1000;
  /// true: a checkpoint of the initial state is saved before the first step, so the run can be
  /// recovered even before that step ends, and a reused run id fails at once. false: the first
  /// checkpoint is the one after the first step, one write fewer per run, for callers that keep
  /// the initial state durably themselves and give each run a unique id (the Engine: the task's
  /// record and its lease). Recovering such a run before its first checkpoint fails with
  /// errc::not_found (start it again), and a run that reuses an id fails (errc::conflict) at its
  /// first checkpoint instead of at once. Without a checkpointer this changes nothing.
  bool checkpoint_at_start = true;
};

struct RunnerOptions {
  /// Threads of the Runner's own runtime (ignored when an executor is given); 0: hardware.
  std::size_t io_threads = 0;
  std::size_t blocking_threads = 4;
  /// Where runs save a checkpoint after every step (see NodeOptions::checkpoint). Without one,
  /// runs are not durable and interrupted runs can only be resumed through this Runner while it
  /// lives (kept in memory).
  std::shared_ptr<store::Checkpointer> checkpointer{};
  /// false: a run that completes has its checkpoints erased instead of a final one written, for
  /// owners that keep what runs produce elsewhere (nothing can resume a completed run). Runs that
  /// stop otherwise (interrupted, failed, cancelled) are always saved.
  bool keep_completed_runs = true;
  /// Timestamps of events and checkpoints, and run deadlines (null: the system clock).
  const Clock* clock = &Clock::system();
  /// Seed of the retry jitter; 0 draws one from std::random_device.
  std::uint64_t seed = 0;
  /// Where the runner reports runs that fail (warn) and nodes that are retried (info).
  Logger logger{};
  /// Keep each run's consecutive steps on the io thread that runs it, rather than handing each
  /// step to whichever io thread is free. That saves a thread wake-up per step when steps follow
  /// each other at once (nodes that rarely wait, an in-memory store: the Engine turns it on for a
  /// store that does not block) and gives up overlap between threads otherwise: runs of trivial
  /// nodes, or whose steps wait on the blocking pool, go faster without it.
  bool keep_runs_on_their_thread = false;
};

namespace detail {

/// A RunResult with its state erased: what the compiled runtime returns.
struct ErasedRunResult {
  std::string run_id;
  RunStatus status = RunStatus::completed;
  StatePtr state;
  std::vector<Interrupt> interrupts;
  std::optional<Error> error;
  std::uint64_t steps = 0;
};

template <class State>
result<RunResult<State>> typed(result<ErasedRunResult> erased) {
  if (!erased)
    return erased.error();
  auto& e = erased.value();
  return RunResult<State>{
      std::move(e.run_id),     e.status,           std::move(*static_cast<State*>(e.state.get())),
      std::move(e.interrupts), std::move(e.error), e.steps};
}

OPSGRAPH_COROUTINES_BEGIN
template <class State>
Task<result<RunResult<State>>> typed_task(Task<result<ErasedRunResult>> erased) {
  co_return typed<State>(co_await std::move(erased));
}
OPSGRAPH_COROUTINES_END

}  // namespace detail

class OPSGRAPH_API Runner {
 public:
  /// A Runner with its own threads.
  explicit Runner(RunnerOptions options = {});
  /// A Runner on the caller's executor and blocking pool.
  Runner(Executor executor, BlockingPool& blocking, RunnerOptions options = {});
  ~Runner();
  Runner(const Runner&) = delete;
  Runner& operator=(const Runner&) = delete;

  /// Receives the events of every run started after this call.
  void add_observer(Observer observer);

  /// Starts a run of `graph` from its entry with `initial` and waits until it completes, parks on
  /// an interrupt, fails or is cancelled. Fails (rather than returning a failed run) only when the
  /// run could not start: a reused run id, a checkpointer that refused the first checkpoint.
  ///
  /// g++ 12 destroys an aggregate temporary written inside a co_await expression twice: name
  /// the state and the options first (`RunOptions options{.deadline = 5s};
  /// co_await runner.run(graph, state, options);`), never `co_await runner.run(graph, State{})`.
  template <class State>
  Task<result<RunResult<State>>> run(const CompiledGraph<State>& graph, State initial,
                                     RunOptions options) {
    return detail::typed_task<State>(
        start(graph.spec(), std::make_shared<State>(std::move(initial)), std::move(options)));
  }
  // An overload rather than a default argument: a defaulted aggregate would be exactly the
  // temporary that g++ 12 mishandles in the caller's co_await expression.
  template <class State>
  Task<result<RunResult<State>>> run(const CompiledGraph<State>& graph, State initial) {
    return run(graph, std::move(initial), RunOptions{});
  }

  /// Continues an interrupted run: the interrupted node runs again with resume_value() = value.
  /// When several nodes wait, `node` names the one answered (the others keep waiting).
  /// errc::not_found for an unknown run, errc::conflict when the run is not interrupted.
  template <class State>
  Task<result<RunResult<State>>> resume(const CompiledGraph<State>& graph, std::string run_id,
                                        json::Value value, std::string node = {}) {
    return detail::typed_task<State>(
        proceed(graph.spec(), std::move(run_id), std::move(value), std::move(node)));
  }

  /// Continues a run whose process stopped (crash, kill, cancel) from its last checkpoint: the
  /// step that was in flight runs again; finished steps do not.
  template <class State>
  Task<result<RunResult<State>>> recover(const CompiledGraph<State>& graph, std::string run_id) {
    return detail::typed_task<State>(proceed(graph.spec(), std::move(run_id), std::nullopt, {}));
  }

  /// Blocking forms of run, resume and recover.
  template <class State>
  result<RunResult<State>> invoke(const CompiledGraph<State>& graph, State initial,
                                  RunOptions options = {}) {
    return block_on(executor(), run(graph, std::move(initial), std::move(options)));
  }
  template <class State>
  result<RunResult<State>> resume_sync(const CompiledGraph<State>& graph, std::string run_id,
                                       json::Value value, std::string node = {}) {
    return block_on(executor(),
                    resume(graph, std::move(run_id), std::move(value), std::move(node)));
  }
  template <class State>
  result<RunResult<State>> recover_sync(const CompiledGraph<State>& graph, std::string run_id) {
    return block_on(executor(), recover(graph, std::move(run_id)));
  }

  /// Asks an active run to stop: its awaiting node is cancelled and the run ends as cancelled
  /// after its last finished step. errc::not_found when no such run is active here.
  result<void> cancel(std::string_view run_id);

  /// Runs executing right now in this Runner.
  std::size_t active_runs() const noexcept;

  Executor executor() const noexcept;

 private:
  Task<result<detail::ErasedRunResult>> start(std::shared_ptr<const detail::GraphSpec> graph,
                                              detail::StatePtr initial, RunOptions options);
  Task<result<detail::ErasedRunResult>> proceed(std::shared_ptr<const detail::GraphSpec> graph,
                                                std::string run_id,
                                                std::optional<json::Value> resume_value,
                                                std::string node);

  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace opsgraph::graph
