#include "decisions.hpp"

#include <opsgraph/core/json_schema.hpp>

namespace opsgraph::engine::detail {

using coordinator::Approval;
using coordinator::Decision;
using coordinator::Stage;
using coordinator::TaskStatus;

namespace {

// An earlier decision that this request repeats, found by the hash it names (or, without a hash,
// the plan decision), so a client retrying a call after a timeout gets the same answer.
const Approval* earlier(const coordinator::TaskState& state, const std::string& hash) {
  for (const auto& a : state.task.approvals) {
    if (hash.empty() ? a.gate == Stage::plan_review : a.hash == hash)
      return &a;
  }
  return nullptr;
}

std::string not_waiting(const coordinator::TaskState& state) {
  return "task " + state.task.task_id + " is " + std::string(json::enum_name(state.task.status)) +
         ", not waiting for approval";
}

}  // namespace

std::string gate_hash(const coordinator::TaskState& state, Stage gate) {
  if (gate == Stage::plan_review && state.task.plan)
    return state.task.plan->hash;
  if (gate == Stage::script_review && state.task.script)
    return state.task.script->hash;
  return {};
}

result<Applied> apply_approval(coordinator::TaskState& state, const ApproveRequest& request,
                               TimePoint now) {
  auto& task = state.task;
  if (const Approval* before = earlier(state, request.hash)) {
    if (before->decision == Decision::approved)
      return Applied::repeated;
    return fail(errc::conflict, "task " + task.task_id + ": " +
                                    std::string(json::enum_name(before->gate)) +
                                    " was already rejected");
  }
  if (task.status != TaskStatus::waiting_approval || !coordinator::is_gate(task.stage))
    return fail(errc::conflict, not_waiting(state));
  const Stage gate = task.stage;
  if (gate == Stage::script_review && request.hash.empty()) {
    return fail(errc::invalid_argument,
                "task " + task.task_id + ": approving a script needs the script's hash");
  }
  std::string current = gate_hash(state, gate);
  if (!request.hash.empty() && request.hash != current) {
    return fail(errc::conflict,
                "task " + task.task_id + ": hash " + request.hash + " is not the current " +
                    (gate == Stage::plan_review ? "plan" : "script") + " (" + current + ")");
  }
  task.approvals.push_back(
      Approval{gate, Decision::approved, request.actor, now, std::move(current), request.comment});
  task.status = TaskStatus::queued;
  return Applied::recorded;
}

result<Applied> apply_rejection(coordinator::TaskState& state, const RejectRequest& request,
                                TimePoint now) {
  auto& task = state.task;
  if (task.status == TaskStatus::rejected) {
    if (const Approval* last = task.approvals.empty() ? nullptr : &task.approvals.back();
        last && last->decision == Decision::rejected) {
      return Applied::repeated;
    }
  }
  if (task.status != TaskStatus::waiting_approval || !coordinator::is_gate(task.stage))
    return fail(errc::conflict, not_waiting(state));
  const Stage gate = task.stage;
  if (const Approval* decided = coordinator::decision_at(task, gate);
      decided && decided->hash == gate_hash(state, gate)) {
    return fail(errc::conflict, "task " + task.task_id + ": " + std::string(json::enum_name(gate)) +
                                    " was already approved");
  }
  task.approvals.push_back(Approval{gate, Decision::rejected, request.actor, now,
                                    gate_hash(state, gate), request.reason});
  task.status = TaskStatus::rejected;
  return Applied::recorded;
}

}  // namespace opsgraph::engine::detail
