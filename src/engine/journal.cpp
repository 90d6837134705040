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
TaskState merged(TaskState incoming, const TaskState& stored) {
  incoming.task.approvals = stored.task.approvals;
  auto& task = incoming.task;
  if (task.status == TaskStatus::waiting_approval && coordinator::is_gate(task.stage)) {
    const auto* decided = coordinator::decision_at(task, task.stage);
    if (decided && decided->hash == detail::gate_hash(incoming, task.stage)) {
      task.status = decided->decision == coordinator::Decision::approved ? TaskStatus::in_progress
                                                                         : TaskStatus::rejected;
    }
  }
  return incoming;
}

json::Value status_data(const TaskState& state) {
  return json::Object{{"status", std::string(json::enum_name(state.task.status))},
                      {"stage", std::string(json::enum_name(state.task.stage))}};
}

// The audit events for what changed between the stored state and the new one.
std::vector<std::pair<std::string, json::Value>> changes(const TaskState& before,
                                                         const TaskState& after) {
  std::vector<std::pair<std::string, json::Value>> events;
  const auto& b = before.task;
  const auto& a = after.task;
  if (a.plan && (!b.plan || b.plan->hash != a.plan->hash)) {
    events.emplace_back("planned",
                        json::Object{{"hash", a.plan->hash},
                                     {"risk", json::to_value(a.risk)},
                                     {"requires_approval", a.route.requires_approval},
                                     {"steps", static_cast<std::int64_t>(a.plan->steps.size())}});
  }
  if (a.diagnosis && !b.diagnosis) {
    events.emplace_back("diagnosed",
                        json::Object{{"problem_identified", a.diagnosis->problem_identified},
                                     {"confidence", a.diagnosis->confidence}});
  }
  if (a.script && (!b.script || b.script->hash != a.script->hash ||
                   b.script->check.findings.size() != a.script->check.findings.size())) {
    events.emplace_back(
        "script_checked",
        json::Object{{"hash", a.script->hash},
                     {"attempt", a.script->attempts},
                     {"lint_passed", a.script->check.lint_passed()},
                     {"findings", static_cast<std::int64_t>(a.script->check.findings.size())}});
  }
  if (a.status != b.status || a.stage != b.stage)
    events.emplace_back("status", status_data(after));
  return events;
}

class StoreJournal final : public coordinator::TaskJournal {
 public:
  explicit StoreJournal(std::weak_ptr<detail::EngineCore> engine) : engine_(std::move(engine)) {}

  Task<result<void>> publish(const TaskState& state) override {
    auto engine = engine_.lock();
    if (!engine)
      co_return fail(errc::cancelled, "the engine is shutting down");
    auto job = engine->on_store([engine, state] { return publish_now(*engine, state); });
    auto done = co_await std::move(job);
    co_return done;
  }

  Task<result<std::vector<coordinator::Approval>>> approvals(std::string_view task_id) override {
    auto engine = engine_.lock();
    if (!engine)
      co_return fail(errc::cancelled, "the engine is shutting down");
    auto job = engine->on_store(
        [engine, id = std::string(task_id)]() -> result<std::vector<coordinator::Approval>> {
          OPSGRAPH_TRY(auto record, engine->store().get(id));
          OPSGRAPH_TRY(auto stored, detail::state_of(record));
          return std::move(stored.task.approvals);
        });
    auto done = co_await std::move(job);
    co_return done;
  }

 private:
  static result<void> publish_now(detail::EngineCore& engine, const TaskState& state) {
    const auto& id = state.task.task_id;
    auto token = engine.held.token_of(id);
    if (!token)
      return fail(errc::conflict, "task " + id + " is not held by this engine");
    for (int round = 0; round < kPublishRounds; ++round) {
      OPSGRAPH_TRY(auto record, engine.store().get(id));
      if (!record.lease || record.lease->token != *token)
        return fail(errc::conflict, "task " + id + ": this engine lost its lease");
      OPSGRAPH_TRY(auto stored, detail::state_of(record));
      if (stored.task.status == TaskStatus::cancelled ||
          stored.task.status == TaskStatus::rejected) {
        return fail(errc::cancelled,
                    "task " + id + " was " + std::string(json::enum_name(stored.task.status)));
      }
      TaskState next = merged(state, stored);
      auto events = changes(stored, next);
      const auto version = record.version;
      detail::write_state(record, next, /*run_active=*/true);
      auto updated = engine.store().update(record, version);
      if (!updated && updated.error().code == errc::conflict)
        continue;
      if (!updated)
        return updated.error();
      for (const auto& [type, data] : events)
        engine.record_event(id, type, data);
      return ok();
    }
    return fail(errc::conflict, "task " + id + ": the record kept changing during publish");
  }

  std::weak_ptr<detail::EngineCore> engine_;
};

}  // namespace

std::shared_ptr<coordinator::TaskJournal> make_store_journal(
    std::weak_ptr<detail::EngineCore> engine) {
  return std::make_shared<StoreJournal>(std::move(engine));
}

}  // namespace opsgraph::engine
