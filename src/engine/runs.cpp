// One claimed task, run to its next stop: started fresh, continued from its last checkpoint, or
// resumed at a gate; then its record is settled (completed, parked at a gate, failed) and the
// lease released.

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <opsgraph/core/json_codec.hpp>

#include "decisions.hpp"
#include "engine_impl.hpp"
#include "store_retry.hpp"
#include "task_records.hpp"

namespace opsgraph::engine {
namespace {

using coordinator::Stage;
using coordinator::TaskState;
using coordinator::TaskStatus;
using RunResult = graph::RunResult<TaskState>;

// A settle races only with decisions and cancellations: a few rounds suffice.
constexpr int kSettleRounds = 16;

coordinator::TaskError task_error(const Error& error) {
  coordinator::TaskError out;
  out.code = std::string(to_string(error.code));
  out.message = error.message;
  out.retryable = error.retryable;
  if (const auto* node = error.details.find("node"); node && node->is_string())
    out.node = *node->if_string();
  if (const auto* attempts = error.details.find("attempts"); attempts && attempts->is_integer())
    out.attempts = static_cast<int>(*attempts->if_integer());
  out.details = error.details;
  return out;
}

std::optional<Stage> parked_gate(const RunResult& run) {
  if (run.interrupts.empty())
    return std::nullopt;
  const auto* gate = run.interrupts.front().payload.find("gate");
  if (!gate || !gate->is_string())
    return std::nullopt;
  return json::enum_value<Stage>(*gate->if_string());
}

// The state the record should hold after `run`, or nullopt to leave the record as it is (the
// task was cancelled or rejected meanwhile, or the engine is stopping with the task unfinished).
// `stored` are the stored state's facts; a run that never started (an error) needs that state
// itself, `stored_state`.
std::optional<TaskState> settled_state(const result<RunResult>& run,
                                       const detail::RecordFacts& stored,
                                       const TaskState* stored_state, bool stopping,
                                       TimePoint now) {
  if (coordinator::is_final(stored.status) && stored.status != TaskStatus::completed)
    return std::nullopt;  // cancelled or rejected by a caller: that word stands
  if (!run) {
    TaskState failed = *stored_state;
    failed.task.status = TaskStatus::failed;
    failed.task.error = task_error(run.error());
    return failed;
  }
  TaskState next = run.value().state;
  next.task.approvals = stored.approvals;
  auto& task = next.task;
  switch (run.value().status) {
    case graph::RunStatus::completed:
      break;  // the run's last node set completed, or its gate set rejected
    case graph::RunStatus::interrupted: {
      task.stage = parked_gate(run.value()).value_or(task.stage);
      task.status = TaskStatus::waiting_approval;
      if (const auto* decided = coordinator::decision_at(task, task.stage);
          decided && decided->hash == detail::gate_hash(next, task.stage)) {
        // The decision arrived while the run was parking: act on it at once.
        task.status = decided->decision == coordinator::Decision::approved ? TaskStatus::queued
                                                                           : TaskStatus::rejected;
      }
      break;
    }
    case graph::RunStatus::failed:
      task.status = TaskStatus::failed;
      task.error = task_error(run.value().error.value_or(make_error(errc::internal, "run failed")));
      break;
    case graph::RunStatus::cancelled:
      if (stopping)
        return std::nullopt;  // left runnable: the next engine continues it
      task.status = TaskStatus::failed;
      task.error = task_error(run.value().error.value_or(make_error(errc::timeout, "deadline")));
      break;
  }
  if (coordinator::is_final(task.status))
    task.duration_seconds = std::chrono::duration<double>(now - task.created_at).count();
  return next;
}

// Compare-and-swaps the record from `stored` at `version` to the state `run` leaves, with a status
// event when the status changed; returns the status written or found already final (completed by
// the run, cancelled or rejected by a caller), or nullopt when the record stays as it is for a
// later run (the engine is stopping). `stored_state` as for settled_state. Errors: conflict (the
// record moved on meanwhile).
result<std::optional<TaskStatus>> settle_from(detail::EngineCore& engine, const std::string& id,
                                              const result<RunResult>& run,
                                              const detail::RecordFacts& stored,
                                              const TaskState* stored_state,
                                              std::uint64_t version) {
  if (run && run.value().status == graph::RunStatus::completed) {
    // The run's last node (aggregate, or a gate that rejected) published the final word itself.
    const auto status = run.value().state.task.status;
    if (status == stored.status && coordinator::is_final(status))
      return status;
  }
  auto next = settled_state(run, stored, stored_state, engine.stopping.load(), engine.now());
  if (!next && coordinator::is_final(stored.status))
    return stored.status;  // cancelled or rejected by a caller meanwhile
  if (!next)
    return std::nullopt;
  std::vector<store::NewEvent> events;
  if (next->task.status != stored.status)
    events.push_back(detail::status_event(*next));
  store::TaskRecord record;
  record.id = id;
  detail::write_state(record, *next, /*run_active=*/false);
  OPSGRAPH_TRY(auto updated, engine.update_task(std::move(record), version, events));
  const auto status = next->task.status;
  // Decided while it parked: the next claim, most likely this engine's own at once, need not
  // decode the body just encoded.
  if (status == TaskStatus::queued)
    engine.fresh.put(id, updated.version + 1, std::make_unique<TaskState>(std::move(*next)));
  return status;
}

// Forgets the task in this engine, unless a later claim of it here has taken its place (a new
// token): done before the lease is released, since the next claim may follow at once.
void let_go(detail::EngineCore& engine, const std::string& id, std::uint64_t token) {
  if (engine.held.token_of(id) != token)
    return;
  detail::written_states(*engine.journal).erase(id);
  engine.held.remove(id, token);
}

// Releases the task after a settle that wrote `status`. A task that ended for good (completed,
// rejected, cancelled; a failed one may be retried from its last checkpoint) never runs again: its
// checkpoints go, so that neither memory nor the database file grows with finished tasks. (A run
// that completed has handed its own over.)
result<void> release_settled(detail::EngineCore& engine, const std::string& id, std::uint64_t token,
                             const result<RunResult>& run, std::optional<TaskStatus> status) {
  const bool run_completed = run && run.value().status == graph::RunStatus::completed;
  if (status && coordinator::is_final(*status) && *status != TaskStatus::failed && !run_completed)
    engine.finished_runs.add(id);
  let_go(engine, id, token);
  return engine.store().release(id, token);
}

// Writes the run's outcome to the task's record and releases the lease.
result<void> settle_and_release(detail::EngineCore& engine, const std::string& id,
                                std::uint64_t token, const result<RunResult>& run) {
  // The usual case first: the record is as this engine last wrote it, one compare-and-swap.
  // A state that leaves the record alone is decided on what is stored, read below; so is a run
  // that never started, which keeps the stored state.
  if (auto last = run ? detail::written_states(*engine.journal).find(id) : std::nullopt) {
    auto settled = settle_from(engine, id, run, last->facts, nullptr, last->version);
    if (settled && settled.value())
      return release_settled(engine, id, token, run, settled.value());
    if (!settled && settled.error().code != errc::conflict)
      return settled.error();
  }
  for (int round = 0; round < kSettleRounds; ++round) {
    OPSGRAPH_TRY(auto record, engine.store().get(id));
    if (!record.lease || record.lease->token != token)
      return ok();  // another worker holds it now: its word counts
    OPSGRAPH_TRY(auto stored, detail::state_of(record));
    auto settled = settle_from(engine, id, run, detail::facts_of(stored), &stored, record.version);
    if (!settled && settled.error().code == errc::conflict)
      continue;
    if (!settled)
      return settled.error();
    return release_settled(engine, id, token, run, settled.value());
  }
  return fail(errc::conflict, "task " + id + ": the record kept changing while settling");
}

}  // namespace

Task<void> detail::EngineCore::drive(store::TaskRecord claimed, HeldTasks::SteadyTime sure_until,
                                     bool first_claim,
                                     std::unique_ptr<coordinator::TaskState> kept) {
  auto self = shared_from_this();
  const std::string id = claimed.id;
  const std::uint64_t token = claimed.lease ? claimed.lease->token : 0;
  held.add(id, token, sure_until);
  if (stopping.load()) {
    // Claimed as the engine began to close, perhaps after it cancelled the runs it held: the task
    // is left, runnable, to the next engine.
    auto release = on_store([self, id, token] {
      let_go(*self, id, token);
      return self->store().release(id, token);
    });
    (void)co_await std::move(release);
    running.fetch_sub(1);
    co_return;
  }
  // Claimed the moment execute() stored it: its first events wait for the "created" event.
  if (is_announcing(id)) {
    const auto here = co_await boost::asio::this_coro::executor;
    boost::asio::steady_timer pause(here);
    while (is_announcing(id)) {
      pause.expires_after(std::chrono::microseconds{100});
      co_await pause.async_wait(boost::asio::use_awaitable);
    }
  }

  auto state = kept ? result<TaskState>(detail::state_of(std::move(*kept), claimed))
                    : detail::state_of(claimed);
  kept.reset();
  auto& written = detail::written_states(*journal);
  if (state)
    written.put(id, claimed.version, detail::facts_of(state.value()));
  // Decoded: its body would otherwise stay in this frame for as long as the run lasts.
  claimed = store::TaskRecord{};
  result<RunResult> run = state ? result<RunResult>(fail(errc::internal, "not started"))
                                : result<RunResult>(state.error());
  if (state) {
    // Resume a run parked at a gate; else continue from the last checkpoint; else start. One
    // co_await for all three: each would keep a RunResult (a whole TaskState) in this frame for
    // as long as the run lasts.
    enum class Way { resume, recover, start };
    Way way = first_claim                                      ? Way::start
              : coordinator::is_gate(state.value().task.stage) ? Way::resume
                                                               : Way::recover;
    for (;;) {
      graph::RunOptions fresh;
      fresh.run_id = id;
      fresh.deadline = options.task_deadline;
      // The record holds the initial state and the lease keeps the run id to this engine: a run
      // that stops before its first checkpoint is started again (the not_found below).
      fresh.checkpoint_at_start = false;
      auto job = way == Way::resume
                     ? runner->resume(*graph, id, json::Object{{"decision", "approved"}})
                 : way == Way::recover ? runner->recover(*graph, id)
                                       : runner->run(*graph, std::move(state).value(), fresh);
      run = co_await std::move(job);
      if (way == Way::resume && !run && run.error().code == errc::conflict)
        way = Way::recover;  // not parked at the gate after all
      else if (way == Way::recover && !run && run.error().code == errc::not_found)
        way = Way::start;  // never checkpointed
      else
        break;
    }
  }

  auto settle = on_store([self, id, token, run = std::move(run)] {
    // A run's outcome lost to a store outage would be redone by the next claim (a completed run
    // has erased its checkpoints): wait the outage out. Settling again is harmless.
    return detail::retry_through_outage(self->options.logger, "settling a task", id,
                                        [&] { return settle_and_release(*self, id, token, run); });
  });
  auto settled = co_await std::move(settle);
  if (!settled) {
    options.logger.warn("engine", "could not settle a task",
                        {{"task", id}, {"error", settled.error().message}});
  }
  let_go(*this, id, token);
  running.fetch_sub(1);
  look_for_work();
}

}  // namespace opsgraph::engine
