#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <condition_variable>
#include <map>
#include <mutex>
#include <opsgraph/core/id.hpp>
#include <opsgraph/graph/runner.hpp>
#include <opsgraph/store/memory_store.hpp>
#include <random>

#include "graph/execute.hpp"
#include "graph/snapshot.hpp"
#include "graph/watchdog.hpp"

namespace opsgraph::graph {

namespace asio = boost::asio;
using detail::ActiveRun;
using detail::ErasedRunResult;

namespace {

std::uint64_t pick_seed(std::uint64_t seed) {
  if (seed != 0)
    return seed;
  std::random_device device;
  return (static_cast<std::uint64_t>(device()) << 32) ^ device();
}

// The run's deadline, counted from now on the steady clock. The watchdog takes it up with the
// first node attempt (see attempt_node), together with that attempt's own timeout.
void set_expiry(ActiveRun& run) {
  if (!run.deadline)
    return;
  const auto left = *run.deadline - run.env.clock->now();
  run.expires = std::chrono::steady_clock::now() +
                std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                    std::max(left, decltype(left)::zero()));
}

RunStatus final_status(const ActiveRun& run, const detail::FrameOutcome& outcome) {
  switch (outcome.end) {
    case detail::FrameEnd::completed:
      return RunStatus::completed;
    case detail::FrameEnd::interrupted:
      return RunStatus::interrupted;
    case detail::FrameEnd::failed:
      break;
  }
  return run.stop_reason ? RunStatus::cancelled : RunStatus::failed;
}

void emit_final(ActiveRun& run, RunStatus status, const std::optional<Error>& error) {
  switch (status) {
    case RunStatus::completed:
      detail::emit(run, EventType::completed);
      break;
    case RunStatus::interrupted:
      for (auto& i : run.top.interrupts) {
        detail::emit(run, EventType::interrupted, i.node, 0, nullptr, {}, &i.payload);
      }
      break;
    case RunStatus::failed:
      detail::emit(run, EventType::failed, {}, 0, error ? &*error : nullptr);
      if (error) {
        run.env.logger.warn("graph", "run failed",
                            {{"run_id", run.run_id},
                             {"graph", run.graph->name},
                             {"code", to_string(error->code)},
                             {"error", error->message}});
      }
      break;
    case RunStatus::cancelled:
      detail::emit(run, EventType::cancelled, {}, 0, error ? &*error : nullptr);
      break;
  }
}

// The whole life of one run on its strand, from its first (or resumed) step to its final
// checkpoint. Runs with no caller attached: the result goes to `out`.
Task<void> drive(std::shared_ptr<ActiveRun> run, EventType first,
                 std::shared_ptr<std::optional<ErasedRunResult>> out) {
  detail::emit(*run, first, {}, 0, nullptr, {}, run->resume_value ? &*run->resume_value : nullptr);
  set_expiry(*run);
  auto outcome = co_await detail::execute_frame(run, run->top, /*durable=*/true);

  auto status = final_status(*run, outcome);
  auto error = run->stop_reason ? run->stop_reason : outcome.error;
  result<void> saved = ok();
  if (status == RunStatus::completed && run->env.forget_completed)
    saved = co_await detail::erase_checkpoints(run);
  else
    saved = co_await detail::save_checkpoint(run, std::string(to_string(status)), error);
  if (!saved && status != RunStatus::failed) {
    status = RunStatus::failed;  // the outcome is not durable: report that rather than it
    error = std::move(saved).error();
  }
  run->env.watchdog->forget(*run);
  run->finished = true;
  emit_final(*run, status, error);
  out->emplace(ErasedRunResult{run->run_id, status, run->top.state, run->top.interrupts, error,
                               run->top.steps});
}

// A null clock means the system clock.
RunnerOptions with_defaults(RunnerOptions options) {
  if (options.clock == nullptr)
    options.clock = &Clock::system();
  return options;
}

}  // namespace

struct Runner::Impl {
  Impl(RunnerOptions opts, std::unique_ptr<Runtime> runtime, Executor ex, BlockingPool* pool)
      : options(with_defaults(std::move(opts))),
        own_runtime(std::move(runtime)),
        executor(std::move(ex)),
        blocking(pool),
        checkpointer(options.checkpointer ? options.checkpointer
                                          : std::make_shared<store::MemoryStore>(*options.clock)),
        ids(*options.clock),
        seeder(pick_seed(options.seed)),
        observers(std::make_shared<const std::vector<Observer>>()) {}

  std::shared_ptr<ActiveRun> make_run(std::shared_ptr<const detail::GraphSpec> graph,
                                      std::string run_id) {
    auto run = std::make_shared<ActiveRun>();
    run->graph = std::move(graph);
    run->run_id = std::move(run_id);
    // A strand schedules itself again on its executor whenever work is queued behind what it is
    // running, which is every step of a run. Marked as a continuation, that goes to the queue of
    // the io thread already running the run instead of waking another thread to take it over.
    run->strand =
        options.keep_runs_on_their_thread
            ? asio::make_strand(asio::prefer(executor, asio::execution::relationship.continuation))
            : asio::make_strand(executor);
    std::lock_guard lock(mutex);
    run->env = detail::RunnerEnv{
        blocking,
        &watchdog,
        options.clock,
        checkpointer,
        observers,
        options.logger,
        /*forget_completed=*/!options.checkpointer || !options.keep_completed_runs};
    run->rng = detail::Jitter(seeder());
    return run;
  }

  result<void> activate(const std::shared_ptr<ActiveRun>& run) {
    std::lock_guard lock(mutex);
    if (!active.emplace(run->run_id, run).second) {
      return fail(errc::conflict, "run " + run->run_id + " is already executing here");
    }
    return ok();
  }

  void deactivate(const std::string& run_id) {
    std::lock_guard lock(mutex);
    active.erase(run_id);
    if (active.empty())
      idle.notify_all();
  }

  bool is_active(std::string_view run_id) {
    std::lock_guard lock(mutex);
    return active.find(run_id) != active.end();
  }

  Task<result<void>> put_first(std::shared_ptr<ActiveRun> run) {
    // Step 1 of a run id can be written once: a reused id fails here with conflict.
    auto saved = co_await detail::save_checkpoint(run, "running", std::nullopt);
    if (!saved && saved.error().code == errc::conflict) {
      co_return fail(errc::conflict, "run " + run->run_id + " already exists");
    }
    co_return saved;
  }

  Task<result<std::optional<store::Checkpoint>>> load_latest(std::string run_id) {
    auto cp = checkpointer;
    if (!cp->blocking())
      co_return cp->latest(run_id);
    auto job = blocking->run([cp, run_id] { return cp->latest(run_id); });
    co_return co_await std::move(job);
  }

  Task<result<ErasedRunResult>> execute(std::shared_ptr<ActiveRun> run, EventType first) {
    auto out = std::make_shared<std::optional<ErasedRunResult>>();
    // An unconnected slot: a caller that stops waiting does not cancel the run (cancel() does).
    co_await asio::co_spawn(
        run->strand, drive(run, first, out),
        asio::bind_cancellation_slot(asio::cancellation_slot(), asio::use_awaitable));
    deactivate(run->run_id);
    co_return std::move(**out);
  }

  RunnerOptions options;
  std::unique_ptr<Runtime> own_runtime;
  Executor executor;
  // Declared after the runtime, so gone before it: its timer lives on the runtime's executor.
  detail::Watchdog watchdog{executor};
  BlockingPool* blocking;
  std::shared_ptr<store::Checkpointer> checkpointer;
  IdGenerator ids;

  std::mutex mutex;
  std::condition_variable idle;
  std::mt19937_64 seeder;
  std::shared_ptr<const std::vector<Observer>> observers;
  std::map<std::string, std::shared_ptr<ActiveRun>, std::less<>> active;
};

namespace {

std::unique_ptr<Runtime> make_runtime(const RunnerOptions& options) {
  return std::make_unique<Runtime>(Runtime::Options{.io_threads = options.io_threads,
                                                    .blocking_threads = options.blocking_threads});
}

result<std::vector<std::size_t>> indexes(const detail::GraphSpec& graph,
                                         const std::vector<std::string>& names) {
  std::vector<std::size_t> out;
  for (auto& name : names) {
    auto index = graph.find(name);
    if (!index || *index == detail::kEndIndex) {
      return fail(errc::invalid_argument, "the checkpoint names node \"" + name +
                                              "\", which graph \"" + graph.name + "\" lacks");
    }
    out.push_back(*index);
  }
  return out;
}

result<void> restore(ActiveRun& run, const detail::DecodedSnapshot& decoded) {
  const auto& s = decoded.snapshot;
  const auto& graph = *run.graph;
  auto state = graph.state.decode(decoded.state);
  if (!state) {
    return fail(state.error().code, "the state in the checkpoint of run " + run.run_id +
                                        " does not decode: " + state.error().message);
  }
  run.top.graph = &graph;
  run.top.state = std::move(state).value();
  OPSGRAPH_TRY(run.top.pending, indexes(graph, s.pending));
  OPSGRAPH_TRY(run.top.done, indexes(graph, s.done));
  if (s.joins.size() != graph.joins.size()) {
    return fail(errc::invalid_argument, "the checkpoint of run " + run.run_id +
                                            " has a different number of joins than the graph");
  }
  for (auto& arrived : s.joins) {
    OPSGRAPH_TRY(auto list, indexes(graph, arrived));
    run.top.join_arrivals.push_back(std::move(list));
  }
  run.top.interrupts = s.interrupts;
  run.top.steps = s.steps;
  for (auto& [node, n] : s.attempts)
    run.attempts[node] = n;
  run.step_limit = s.step_limit;
  run.deadline = s.deadline;
  return ok();
}

/// The node path a resume() answer goes to.
result<std::string> resume_target(const ActiveRun& run, const std::string& node) {
  const auto& waiting = run.top.interrupts;
  if (node.empty()) {
    if (waiting.size() == 1)
      return waiting.front().node;
    std::string list;
    for (auto& i : waiting)
      list += (list.empty() ? "" : ", ") + i.node;
    return fail(errc::invalid_argument, "run " + run.run_id + " waits on several nodes (" + list +
                                            "): name the one to resume");
  }
  for (auto& i : waiting) {
    if (i.node == node)
      return node;
  }
  return fail(errc::invalid_argument,
              "run " + run.run_id + " is not waiting on node \"" + node + "\"");
}

}  // namespace

Runner::Runner(RunnerOptions options) {
  auto runtime = make_runtime(options);
  auto ex = runtime->executor();
  auto* pool = &runtime->blocking();
  impl_ = std::make_shared<Impl>(std::move(options), std::move(runtime), std::move(ex), pool);
}

Runner::Runner(Executor executor, BlockingPool& blocking, RunnerOptions options)
    : impl_(std::make_shared<Impl>(std::move(options), nullptr, std::move(executor), &blocking)) {}

Runner::~Runner() {
  std::unique_lock lock(impl_->mutex);
  for (auto& [id, run] : impl_->active) {
    asio::post(run->strand, [run] {
      detail::stop_run(*run, make_error(errc::cancelled, "the runner is shutting down"));
    });
  }
  impl_->idle.wait(lock, [this] { return impl_->active.empty(); });
}

void Runner::add_observer(Observer observer) {
  std::lock_guard lock(impl_->mutex);
  auto next = std::make_shared<std::vector<Observer>>(*impl_->observers);
  next->push_back(std::move(observer));
  impl_->observers = std::move(next);
}

result<void> Runner::cancel(std::string_view run_id) {
  std::lock_guard lock(impl_->mutex);
  auto it = impl_->active.find(run_id);
  if (it == impl_->active.end()) {
    return fail(errc::not_found, "no run " + std::string(run_id) + " is executing here");
  }
  auto run = it->second;
  asio::post(run->strand, [run] {
    detail::stop_run(*run, make_error(errc::cancelled, "run " + run->run_id + " was cancelled"));
  });
  return ok();
}

std::size_t Runner::active_runs() const noexcept {
  std::lock_guard lock(impl_->mutex);
  return impl_->active.size();
}

Executor Runner::executor() const noexcept {
  return impl_->executor;
}

Task<result<ErasedRunResult>> Runner::start(std::shared_ptr<const detail::GraphSpec> graph,
                                            detail::StatePtr initial, RunOptions options) {
  auto impl = impl_;
  auto run =
      impl->make_run(graph, options.run_id.empty() ? impl->ids.next() : std::move(options.run_id));
  run->top.graph = run->graph.get();
  run->top.state = std::move(initial);
  run->top.pending = {graph->entry_index};
  run->top.join_arrivals.resize(graph->joins.size());
  run->step_limit = options.step_limit;
  if (options.deadline)
    run->deadline = impl->options.clock->now() + *options.deadline;
  OPSGRAPH_CO_TRY(impl->activate(run));
  if (options.checkpoint_at_start) {
    if (auto first = co_await impl->put_first(run); !first) {
      impl->deactivate(run->run_id);
      co_return std::move(first).error();
    }
  }
  co_return co_await impl->execute(run, EventType::run_started);
}

Task<result<ErasedRunResult>> Runner::proceed(std::shared_ptr<const detail::GraphSpec> graph,
                                              std::string run_id,
                                              std::optional<json::Value> resume_value,
                                              std::string node) {
  auto impl = impl_;
  if (impl->is_active(run_id)) {
    co_return fail(errc::conflict, "run " + run_id + " is already executing here");
  }
  OPSGRAPH_CO_TRY(auto latest, co_await impl->load_latest(run_id));
  if (!latest)
    co_return fail(errc::not_found, "no run " + run_id);
  if (latest->graph != graph->name) {
    co_return fail(errc::invalid_argument, "run " + run_id + " belongs to graph \"" +
                                               latest->graph + "\", not \"" + graph->name + "\"");
  }
  OPSGRAPH_CO_TRY(auto decoded, detail::decode_snapshot(latest->data));
  const auto& status = decoded.snapshot.status;
  if (status == "completed")
    co_return fail(errc::conflict, "run " + run_id + " has completed");
  if (resume_value && status != "interrupted") {
    co_return fail(errc::conflict,
                   "run " + run_id + " is not waiting for input (it is " + status + ")");
  }
  if (!resume_value && status == "interrupted") {
    co_return fail(errc::conflict,
                   "run " + run_id + " is waiting for input: resume it with an answer");
  }

  auto run = impl->make_run(graph, run_id);
  run->checkpoint_seq = latest->step;
  OPSGRAPH_CO_TRY(restore(*run, decoded));
  if (resume_value) {
    OPSGRAPH_CO_TRY(run->resume_path, resume_target(*run, node));
    run->resume_value = std::move(resume_value);
  }
  OPSGRAPH_CO_TRY(impl->activate(run));
  co_return co_await impl->execute(run, EventType::resumed);
}

}  // namespace opsgraph::graph
