#pragma once
// The user messages of the four agents: JSON objects built from the task state, with exactly the
// keys their prompts (data/prompts/*.md) describe. The request text travels as a JSON string
// value, never spliced into instructions.

#include <opsgraph/coordinator/task_state.hpp>
#include <opsgraph/core/json_value.hpp>

namespace opsgraph::coordinator::detail {

json::Value planner_input(const TaskState& state);
json::Value diagnostic_input(const TaskState& state);
json::Value automation_input(const TaskState& state);
json::Value writer_input(const TaskState& state);

}  // namespace opsgraph::coordinator::detail
