// The coordinator's TaskJournal over the engine's TaskStore: every publish is a compare-and-swap
// of the record that keeps the decisions recorded meanwhile, checks that this engine still holds
// the task, and leaves an audit event for each thing that changed.

#include <opsgraph/core/json_codec.hpp>

#include "decisions.hpp"
#include "engine_impl.hpp"
#include "task_records.hpp"

namespace opsgraph::engine {
namespace {

using coordinator::Stage;
using coordinator::TaskState;
using coordinator::TaskStatus;

// A publish races only with decisions and cancellations, which are rare: a few rounds suffice.
constexpr int kPublishRounds = 16;

// What the run reports, merged with what only callers write: decisions, and a status they set.
// Nullopt when the run's state already is that (no decision since, not parked at a gate), so the
// usual publish copies nothing.
std::optional<TaskState> merged(const TaskState& incoming, const detail::RecordFacts& stored) {
  const bool at_gate = incoming.task.status == TaskStatus::waiting_approval &&
                       coordinator::is_gate(incoming.task.stage);
  if (!at_gate && incoming.task.approvals == stored.approvals)
    return std::nullopt;
  TaskState out = incoming;
  auto& task = out.task;
  task.approvals = stored.approvals;
  if (at_gate) {
    const auto* decided = coordinator::decision_at(task, task.stage);
    if (decided && decided->hash == detail::gate_hash(out, task.stage)) {
      task.status = decided->decision == coordinator::Decision::approved ? TaskStatus::in_progress
                                                                         : TaskStatus::rejected;
    }
  }
  return out;
}

// The audit events for what changed between the stored state and the new one, their data
// written straight to text by the thread's reused writer.
std::vector<store::NewEvent> changes(const detail::RecordFacts& b, const TaskState& after) {
  std::vector<store::NewEvent> events;
  const auto& a = after.task;
  {
    json::detail::ScratchWriter scratch;
    auto& data = scratch.get();
    if (a.plan && b.plan_hash != a.plan->hash) {
      data.begin_object().key("hash").string(a.plan->hash).key("risk");
      json::write(data, a.risk);
      data.key("requires_approval")
          .boolean(a.route.requires_approval)
          .key("steps")
          .integer(static_cast<std::int64_t>(a.plan->steps.size()))
          .end_object();
      events.push_back({"planned", data.take()});
    }
    if (a.diagnosis && !b.diagnosed) {
      data.begin_object()
          .key("problem_identified")
          .boolean(a.diagnosis->problem_identified)
          .key("confidence")
          .number(a.diagnosis->confidence)
          .end_object();
      events.push_back({"diagnosed", data.take()});
    }
    if (a.script &&
        (b.script_hash != a.script->hash || b.script_findings != a.script->check.findings.size())) {
      data.begin_object()
          .key("hash")
          .string(a.script->hash)
          .key("attempt")
          .integer(a.script->attempts)
          .key("lint_passed")
          .boolean(a.script->check.lint_passed())
          .key("findings")
          .integer(static_cast<std::int64_t>(a.script->check.findings.size()))
          .end_object();
      events.push_back({"script_checked", data.take()});
    }
  }
  if (a.status != b.status || a.stage != b.stage)
    events.push_back(detail::status_event(after));
  return events;
}

class StoreJournal final : public coordinator::TaskJournal {
 public:
  explicit StoreJournal(std::weak_ptr<detail::EngineCore> engine) : engine_(std::move(engine)) {}

  Task<result<void>> publish(const TaskState& state) override {
    auto engine = engine_.lock();
    if (!engine)
      co_return fail(errc::cancelled, "the engine is shutting down");
    if (!engine->store().blocking()) {
      auto done = publish_now(*engine, state);  // no copy of the state for another thread
      co_return done;
    }
    auto job = engine->on_store([this, engine, state] { return publish_now(*engine, state); });
    auto done = co_await std::move(job);
    co_return done;
  }

  Task<result<std::vector<coordinator::Approval>>> approvals(std::string_view task_id) override {
    auto engine = engine_.lock();
    if (!engine)
      co_return fail(errc::cancelled, "the engine is shutting down");
    auto job = engine->on_store(
        [this, engine, id = std::string(task_id)]() -> result<std::vector<coordinator::Approval>> {
          OPSGRAPH_TRY(auto record, engine->store().get(id));
          // Unchanged since this engine wrote it: the decisions are known without decoding.
          if (auto last = written_.find(id); last && last->version == record.version)
            return std::move(last->facts.approvals);
          OPSGRAPH_TRY(auto stored, detail::state_of(record));
          return std::move(stored.task.approvals);
        });
    auto done = co_await std::move(job);
    co_return done;
  }

  detail::WrittenStates& written() noexcept { return written_; }

 private:
  static bool ended_by_caller(TaskStatus stored) {
    return stored == TaskStatus::cancelled || stored == TaskStatus::rejected;
  }

  result<void> publish_now(detail::EngineCore& engine, const TaskState& state) {
    const auto& id = state.task.task_id;
    auto token = engine.held.token_of(id);
    if (!token)
      return fail(errc::conflict, "task " + id + " is not held by this engine");
    // The usual case: nobody touched the record since this engine last wrote it, so what is
    // stored is known and one compare-and-swap publishes.
    if (auto last = written_.find(id); last && !ended_by_caller(last->facts.status)) {
      auto done = try_write(engine, state, last->facts, last->version);
      if (done)
        return ok();
      if (done.error().code != errc::conflict)
        return done.error();
    }
    for (int round = 0; round < kPublishRounds; ++round) {
      OPSGRAPH_TRY(auto record, engine.store().get(id));
      if (!record.lease || record.lease->token != *token)
        return fail(errc::conflict, "task " + id + ": this engine lost its lease");
      OPSGRAPH_TRY(auto stored, detail::state_of(record));
      if (ended_by_caller(stored.task.status)) {
        return fail(errc::cancelled,
                    "task " + id + " was " + std::string(json::enum_name(stored.task.status)));
      }
      auto done = try_write(engine, state, detail::facts_of(stored), record.version);
      if (done || done.error().code != errc::conflict)
        return done;
    }
    return fail(errc::conflict, "task " + id + ": the record kept changing during publish");
  }

  // Compare-and-swaps the record from `stored` at `version` to `state` merged with it, with an
  // event for each change. Errors: conflict when the record moved on meanwhile.
  result<void> try_write(detail::EngineCore& engine, const TaskState& state,
                         const detail::RecordFacts& stored, std::uint64_t version) {
    const auto& id = state.task.task_id;
    const auto adjusted = merged(state, stored);
    const TaskState& next = adjusted ? *adjusted : state;
    auto events = changes(stored, next);
    store::TaskRecord record;
    record.id = id;
    detail::write_state(record, next, /*run_active=*/true);
    OPSGRAPH_TRY(auto updated, engine.update_task(std::move(record), version, events));
    written_.put(id, updated.version, detail::facts_of(next));
    return ok();
  }

  std::weak_ptr<detail::EngineCore> engine_;
  detail::WrittenStates written_;
};

}  // namespace

detail::WrittenStates& detail::written_states(coordinator::TaskJournal& journal) {
  return static_cast<StoreJournal&>(journal).written();
}

std::shared_ptr<coordinator::TaskJournal> make_store_journal(
    std::weak_ptr<detail::EngineCore> engine) {
  return std::make_shared<StoreJournal>(std::move(engine));
}

}  // namespace opsgraph::engine
