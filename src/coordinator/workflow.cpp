// The CoordinatorGraph's planning, diagnosis and completion nodes.

#include "workflow.hpp"

#include <algorithm>
#include <opsgraph/agents/plan.hpp>

#include "agent_inputs.hpp"

namespace opsgraph::coordinator::detail {
namespace {

bool has_agent(const router::RouteDecision& decision, router::Agent agent) {
  const auto& agents = decision.route.required_agents;
  return std::find(agents.begin(), agents.end(), agent) != agents.end();
}

// The writer always runs: every task ends with a summary grounded in what was found and done.
void add_writer(router::RouteDecision& decision) {
  if (!has_agent(decision, router::Agent::writer))
    decision.route.required_agents.push_back(router::Agent::writer);
}

// Steps numbered 1..n in order, and a one-line string per step when the planner left them out.
void tidy(agents::Plan& plan) {
  for (std::size_t i = 0; i < plan.step_details.size(); ++i)
    plan.step_details[i].step_number = static_cast<int>(i + 1);
  if (plan.steps.empty()) {
    for (const auto& step : plan.step_details)
      plan.steps.push_back(step.description);
  }
}

}  // namespace

Task<result<void>> Workflow::plan(TaskState& state, graph::NodeContext& ctx) {
  state.task.stage = Stage::planning;
  auto job = agents::ask_as<agents::PlannerAnswer>(parts_.agents->planner, *parts_.provider,
                                                   planner_input(state), state.task.usage,
                                                   call_labels(state, ctx));
  auto answer = co_await std::move(job);
  if (!answer)
    co_return answer.error();
  state.decision = router::refine(state.decision, answer.value().analysis);
  add_writer(state.decision);
  state.decision.task_type = router::task_type_of(state.decision.risk.level, state.decision.route);
  show_route(state);

  agents::Plan plan = std::move(answer.value().plan);
  tidy(plan);
  plan.hash = agents::plan_hash(plan);
  state.task.plan = std::move(plan);
  // A plan that needs a human opens its gate now; the read-only diagnosis runs while it waits.
  if (state.decision.route.requires_approval) {
    state.task.status = TaskStatus::waiting_approval;
    state.task.stage = Stage::plan_review;
  } else {
    state.task.status = TaskStatus::in_progress;
    state.task.stage = Stage::diagnosis;
  }
  auto published = co_await parts_.journal->publish(state);
  co_return published;
}

Task<result<void>> Workflow::diagnose(TaskState& state, graph::NodeContext& ctx) {
  if (!has_agent(state.decision, router::Agent::diagnostic))
    co_return ok();
  auto job = agents::ask_as<agents::Diagnosis>(parts_.agents->diagnostic, *parts_.provider,
                                               diagnostic_input(state), state.task.usage,
                                               call_labels(state, ctx));
  auto diagnosis = co_await std::move(job);
  if (!diagnosis)
    co_return diagnosis.error();
  auto& found = diagnosis.value();
  found.confidence = std::clamp(found.confidence, 0.0, 1.0);
  for (auto& solution : found.solutions)
    solution.score = std::clamp(solution.score, 0.0, 1.0);
  state.task.diagnosis = std::move(found);
  auto published = co_await parts_.journal->publish(state);
  co_return published;
}

Task<result<void>> Workflow::aggregate(TaskState& state, graph::NodeContext& ctx) {
  state.task.status = TaskStatus::completed;
  state.task.stage = Stage::done;
  state.task.duration_seconds =
      std::chrono::duration<double>(ctx.clock().now() - state.task.created_at).count();
  auto published = co_await parts_.journal->publish(state);
  co_return published;
}

}  // namespace opsgraph::coordinator::detail
