#include "task_records.hpp"

#include <opsgraph/core/json_codec.hpp>

namespace opsgraph::engine::detail {

using coordinator::TaskStatus;

coordinator::TaskState state_of(coordinator::TaskState kept, const store::TaskRecord& record) {
  auto& task = kept.task;
  if (auto status = json::enum_value<TaskStatus>(record.status))
    task.status = *status;
  if (auto stage = json::enum_value<coordinator::Stage>(record.stage))
    task.stage = *stage;
  task.version = record.version;
  task.created_at = record.created_at;
  task.updated_at = record.updated_at;
  return kept;
}

result<coordinator::TaskState> state_of(const store::TaskRecord& record) {
  auto state = json::decode<coordinator::TaskState>(record.body);
  if (!state) {
    return fail(errc::storage,
                "task " + record.id + ": stored body does not decode: " + state.error().message);
  }
  return state_of(std::move(state).value(), record);
}

coordinator::TaskSnapshot snapshot_of(coordinator::TaskState state, const store::TaskRecord& record,
                                      TimePoint now) {
  state = state_of(std::move(state), record);
  auto& task = state.task;
  if (!coordinator::is_final(task.status))
    task.duration_seconds = std::chrono::duration<double>(now - task.created_at).count();
  return std::move(task);
}

result<coordinator::TaskSnapshot> snapshot_of(const store::TaskRecord& record, TimePoint now) {
  OPSGRAPH_TRY(auto state, state_of(record));
  return snapshot_of(std::move(state), record, now);
}

void write_state(store::TaskRecord& record, const coordinator::TaskState& state, bool run_active) {
  record.status = std::string(json::enum_name(state.task.status));
  record.stage = std::string(json::enum_name(state.task.stage));
  record.runnable = state.task.status == TaskStatus::queued ||
                    (run_active && !coordinator::is_final(state.task.status));
  record.body = json::encode(state);
}

store::NewEvent status_event(const coordinator::TaskState& state) {
  json::detail::ScratchWriter scratch;
  auto& data = scratch.get();
  data.begin_object()
      .key("status")
      .string(json::enum_name(state.task.status))
      .key("stage")
      .string(json::enum_name(state.task.stage));
  if (state.task.error) {
    data.key("error");
    json::write(data, *state.task.error);
  }
  data.end_object();
  return store::NewEvent{"status", data.take()};
}

RecordFacts facts_of(const coordinator::TaskState& state) {
  const auto& task = state.task;
  RecordFacts facts;
  facts.status = task.status;
  facts.stage = task.stage;
  facts.approvals = task.approvals;
  if (task.plan)
    facts.plan_hash = task.plan->hash;
  facts.diagnosed = task.diagnosis.has_value();
  if (task.script) {
    facts.script_hash = task.script->hash;
    facts.script_findings = task.script->check.findings.size();
  }
  return facts;
}

void WrittenStates::put(const std::string& id, std::uint64_t version, RecordFacts facts) {
  std::lock_guard lock(mutex_);
  written_[id] = Written{version, std::move(facts)};
}

void WrittenStates::refresh(const std::string& id, std::uint64_t version, RecordFacts facts) {
  std::lock_guard lock(mutex_);
  if (auto kept = written_.find(id); kept != written_.end())
    kept->second = Written{version, std::move(facts)};
}

std::optional<WrittenStates::Written> WrittenStates::find(const std::string& id) const {
  std::lock_guard lock(mutex_);
  auto it = written_.find(id);
  if (it == written_.end())
    return std::nullopt;
  return it->second;
}

void WrittenStates::erase(const std::string& id) {
  std::lock_guard lock(mutex_);
  written_.erase(id);
}

bool reached(const coordinator::TaskSnapshot& task, WaitFor what) {
  if (coordinator::is_final(task.status))
    return true;
  switch (what) {
    case WaitFor::plan:
      return task.plan.has_value();
    case WaitFor::settled:
      return task.status == TaskStatus::waiting_approval;
    case WaitFor::final:
      return false;
  }
  return false;
}

}  // namespace opsgraph::engine::detail
