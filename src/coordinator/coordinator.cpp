// Wires the workflow's nodes into the CoordinatorGraph and its agent subgraphs.

#include <opsgraph/coordinator/coordinator.hpp>
#include <string>

#include "workflow.hpp"

namespace opsgraph::coordinator {
namespace {

using detail::Workflow;
using Member = Task<result<void>> (Workflow::*)(TaskState&, graph::NodeContext&);

// A node that calls a member coroutine of the shared workflow. The lambda itself is not a
// coroutine: it only starts one (g++ 12 miscompiles capturing lambda coroutines).
auto node(const std::shared_ptr<Workflow>& workflow, Member member) {
  return [workflow, member](TaskState& state, graph::NodeContext& ctx) {
    return ((*workflow).*member)(state, ctx);
  };
}

// Runs `next` unless the gate just ended the task.
auto unless_rejected(std::string next) {
  return [next = std::move(next)](const TaskState& state) -> std::string {
    return state.task.status == TaskStatus::rejected ? std::string(graph::kEnd) : next;
  };
}

// The LLM calls a failed attempt made were answered, and paid for: the task's usage keeps them.
// Usage only grows and the attempt's copy began with the state's, so its total is the new one.
void keep_usage(TaskState& state, const TaskState& failed) {
  state.task.usage = failed.task.usage;
}

result<graph::CompiledGraph<TaskState>> diagnostic_graph(const std::shared_ptr<Workflow>& w,
                                                         const graph::NodeOptions& options) {
  graph::StateGraph<TaskState> g("opsgraph.diagnostic.v1");
  g.add_node("diagnose", node(w, &Workflow::diagnose), options)
      .set_entry("diagnose")
      .add_edge("diagnose", std::string(graph::kEnd))
      .set_salvage(keep_usage);
  return g.compile();
}

result<graph::CompiledGraph<TaskState>> automation_graph(const std::shared_ptr<Workflow>& w,
                                                         const graph::NodeOptions& options) {
  graph::StateGraph<TaskState> g("opsgraph.automation.v1");
  g.add_node("draft", node(w, &Workflow::draft_script), options)
      .add_node("check", node(w, &Workflow::check_script), options)
      .set_entry("draft")
      .add_edge("draft", "check")
      .add_conditional_edges("check",
                             [w](const TaskState& state) -> std::string {
                               return w->needs_redraft(state) ? "draft" : std::string(graph::kEnd);
                             },
                             {"draft", std::string(graph::kEnd)})
      .set_salvage(keep_usage);
  return g.compile();
}

result<graph::CompiledGraph<TaskState>> writer_graph(const std::shared_ptr<Workflow>& w,
                                                     const graph::NodeOptions& options) {
  graph::StateGraph<TaskState> g("opsgraph.writer.v1");
  g.add_node("write", node(w, &Workflow::write), options)
      .set_entry("write")
      .add_edge("write", std::string(graph::kEnd))
      .set_salvage(keep_usage);
  return g.compile();
}

}  // namespace

result<graph::CompiledGraph<TaskState>> build_coordinator(CoordinatorParts parts) {
  if (!parts.provider || !parts.checker || !parts.agents || !parts.journal) {
    return fail(errc::invalid_argument,
                "coordinator: provider, checker, agents and journal are all required");
  }
  if (parts.policy.max_script_attempts < 1)
    return fail(errc::invalid_argument, "coordinator: max_script_attempts must be at least 1");

  auto custom = std::move(parts.custom_steps);
  for (const auto& step : custom) {
    if (step.name.empty() || stage_of_node(step.name))
      return fail(errc::invalid_argument,
                  "coordinator: a custom step needs a name that is not one of the workflow's (\"" +
                      step.name + "\")");
  }
  graph::NodeOptions options;
  options.retry = parts.policy.node_retry;
  options.timeout = parts.policy.node_timeout;
  auto workflow = std::make_shared<Workflow>(std::move(parts));

  OPSGRAPH_TRY(auto diagnostic, diagnostic_graph(workflow, options));
  OPSGRAPH_TRY(auto automation, automation_graph(workflow, options));
  OPSGRAPH_TRY(auto writer, writer_graph(workflow, options));
  // Gates and the final node do no slow work and are safe to repeat: no timeout, and no
  // checkpoint of their own (a crash runs them again; a gate reads the decision from the record).
  graph::NodeOptions quick;
  quick.retry = options.retry;
  quick.checkpoint = false;
  // The automation subgraph checkpoints after each draft, which keeps the LLM's answer; its last
  // step, the check, is deterministic and cheap to redo, so finishing it writes no checkpoint of
  // its own (a crash before the next one resumes at the check).
  graph::NodeOptions ends_with_check;
  ends_with_check.checkpoint = false;

  const std::string end(graph::kEnd);
  graph::StateGraph<TaskState> g{std::string(kGraphName)};
  g.add_node("plan", node(workflow, &Workflow::plan), options)
      .add_subgraph("diagnosis", diagnostic)
      .add_node("plan_review", node(workflow, &Workflow::plan_review), quick)
      .add_subgraph("automation", automation, ends_with_check)
      .add_node("script_review", node(workflow, &Workflow::script_review), quick)
      .add_subgraph("writing", writer)
      .add_node("aggregate", node(workflow, &Workflow::aggregate), quick)
      .set_entry("plan")
      .add_edge("plan", "diagnosis")
      .add_edge("diagnosis", "plan_review")
      .add_conditional_edges("plan_review", unless_rejected("automation"), {"automation", end})
      .add_edge("automation", "script_review")
      .add_conditional_edges("script_review", unless_rejected("writing"), {"writing", end})
      .add_edge("aggregate", end)
      .set_salvage(keep_usage);
  std::string previous = "writing";
  for (auto& step : custom) {
    g.add_subgraph(step.name, step.graph, step.options).add_edge(previous, step.name);
    previous = step.name;
  }
  g.add_edge(previous, "aggregate");
  return g.compile();
}

std::optional<Stage> stage_of_node(std::string_view node) noexcept {
  if (node == "plan")
    return Stage::planning;
  if (node == "diagnosis" || node == "diagnose")
    return Stage::diagnosis;
  if (node == "plan_review")
    return Stage::plan_review;
  if (node == "automation" || node == "draft")
    return Stage::automation;
  if (node == "check")
    return Stage::script_check;
  if (node == "script_review")
    return Stage::script_review;
  if (node == "writing" || node == "write")
    return Stage::writing;
  if (node == "aggregate")
    return Stage::aggregating;
  return std::nullopt;
}

json::Value gate_payload(Stage gate, std::string_view hash) {
  return json::Object{{"gate", std::string(json::enum_name(gate))}, {"hash", std::string(hash)}};
}

}  // namespace opsgraph::coordinator
