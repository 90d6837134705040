#pragma once
// The user messages of the four agents: JSON objects written from the task state, with exactly the
// keys their prompts (data/prompts/*.md) describe. The request text travels as a JSON string
// value, never spliced into instructions. And the labels each call carries for tracing.

#include <opsgraph/agents/structured_agent.hpp>
#include <opsgraph/coordinator/task_state.hpp>
#include <opsgraph/graph/node.hpp>

namespace opsgraph::coordinator::detail {

agents::InputText planner_input(const TaskState& state);
agents::InputText diagnostic_input(const TaskState& state);
agents::InputText automation_input(const TaskState& state);
agents::InputText writer_input(const TaskState& state);

/// task_id and node (its path, e.g. "diagnosis/diagnose") for the request's metadata.
agents::CallLabels call_labels(const TaskState& state, const graph::NodeContext& ctx);

}  // namespace opsgraph::coordinator::detail
