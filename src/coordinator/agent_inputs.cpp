#include "agent_inputs.hpp"

#include <opsgraph/core/json_codec.hpp>

namespace opsgraph::coordinator::detail {
namespace {

json::Object common(const TaskState& state) {
  return json::Object{{"request", state.task.request}, {"context", state.task.context}};
}

json::Value plan_of(const TaskState& state) {
  if (!state.task.plan)
    return nullptr;
  return json::Object{{"steps", json::to_value(state.task.plan->steps)},
                      {"step_details", json::to_value(state.task.plan->step_details)},
                      {"summary", state.task.plan->summary}};
}

json::Value language_of(const TaskState& state) {
  if (!state.decision.language)
    return nullptr;
  return json::to_value(*state.decision.language);
}

}  // namespace

json::Value planner_input(const TaskState& state) {
  const auto& d = state.decision;
  auto input = common(state);
  input.emplace_back("rules",
                     json::Object{{"category", d.route.category},
                                  {"required_agents", json::to_value(d.route.required_agents)},
                                  {"risk", json::to_value(d.risk)},
                                  {"requires_approval", d.route.requires_approval},
                                  {"language", language_of(state)},
                                  {"exclusions", json::to_value(d.exclusions)}});
  return input;
}

json::Value diagnostic_input(const TaskState& state) {
  auto input = common(state);
  input.emplace_back("plan", plan_of(state));
  return input;
}

json::Value automation_input(const TaskState& state) {
  auto input = common(state);
  input.emplace_back("language", language_of(state));
  input.emplace_back("plan", plan_of(state));
  input.emplace_back("diagnosis",
                     state.task.diagnosis ? json::to_value(*state.task.diagnosis) : json::Value());
  if (!state.feedback.empty()) {
    json::Array findings;
    for (const auto& f : state.feedback) {
      findings.push_back(json::Object{{"rule", f.rule},
                                      {"severity", json::to_value(f.severity)},
                                      {"line", f.line},
                                      {"message", f.message}});
    }
    input.emplace_back("feedback", std::move(findings));
  }
  return input;
}

json::Value writer_input(const TaskState& state) {
  auto input = common(state);
  input.emplace_back("plan", plan_of(state));
  input.emplace_back("diagnosis",
                     state.task.diagnosis ? json::to_value(*state.task.diagnosis) : json::Value());
  json::Value script;
  if (const auto& s = state.task.script) {
    script = json::Object{{"language", json::to_value(s->draft.language)},
                          {"code", s->draft.code},
                          {"rollback_code", json::to_value(s->draft.rollback_code)},
                          {"lint_passed", s->check.lint_passed()},
                          {"findings", json::to_value(s->check.findings)}};
  }
  input.emplace_back("script", std::move(script));
  input.emplace_back("automation_note", state.task.automation_note);
  input.emplace_back("exclusions", json::to_value(state.decision.exclusions));
  return input;
}

agents::CallLabels call_labels(const TaskState& state, const graph::NodeContext& ctx) {
  return {{"task_id", state.task.task_id}, {"node", std::string(ctx.node())}};
}

}  // namespace opsgraph::coordinator::detail
