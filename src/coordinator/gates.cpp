// The two human gates. A gate reads the decisions recorded for the task (the Engine writes them,
// refusing stale hashes), so a decision that arrived while the run was still busy is honoured
// without any interrupt; otherwise the run parks until one arrives.

#include "workflow.hpp"

namespace opsgraph::coordinator::detail {

Task<result<void>> Workflow::gate(TaskState& state, graph::NodeContext& ctx, Stage gate,
                                  std::string hash) {
  auto job = parts_.journal->approvals(state.task.task_id);
  auto approvals = co_await std::move(job);
  if (!approvals)
    co_return approvals.error();
  state.task.approvals = std::move(approvals).value();
  const Approval* decided = decision_at(state.task, gate);
  if (decided == nullptr || decided->hash != hash) {
    ctx.interrupt(gate_payload(gate, hash));
    co_return ok();
  }
  state.task.stage = gate;
  if (decided->decision == Decision::rejected) {
    state.task.status = TaskStatus::rejected;
    state.task.duration_seconds =
        std::chrono::duration<double>(ctx.clock().now() - state.task.created_at).count();
  } else {
    state.task.status = TaskStatus::in_progress;
  }
  auto published = co_await parts_.journal->publish(state);
  co_return published;
}

Task<result<void>> Workflow::plan_review(TaskState& state, graph::NodeContext& ctx) {
  if (!state.decision.route.requires_approval || !state.task.plan)
    co_return ok();
  auto job = gate(state, ctx, Stage::plan_review, state.task.plan->hash);
  auto passed = co_await std::move(job);
  co_return passed;
}

Task<result<void>> Workflow::script_review(TaskState& state, graph::NodeContext& ctx) {
  const auto& script = state.task.script;
  if (!script || !script->check.has_blocking_findings())
    co_return ok();
  auto job = gate(state, ctx, Stage::script_review, script->hash);
  auto passed = co_await std::move(job);
  co_return passed;
}

}  // namespace opsgraph::coordinator::detail
