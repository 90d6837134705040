#pragma once
// opsgraph::coordinator::TaskStatus and Stage — the two words that say where a task is. The status
// words are the ones existing clients of this kind of system use; the stage says where the task
// is inside its status (see docs/engine.md for the lifecycle):
//
//   execute -> queued -> in_progress -(plan needs a human)-> waiting_approval -approve-> queued ...
//              ... -> completed | failed (-retry-> queued) | rejected | cancelled

#include <opsgraph/core/json_codec.hpp>
#include <string_view>

namespace opsgraph::coordinator {

enum class TaskStatus {
  queued,            ///< Runnable: waiting for a worker.
  in_progress,       ///< A worker runs it.
  waiting_approval,  ///< A gate waits for a human decision (stage says which gate).
  completed,
  failed,     ///< Stopped on an error; retry() continues from the last checkpoint.
  rejected,   ///< A human rejected it at a gate.
  cancelled,  ///< Cancelled before it finished.
};

enum class Stage {
  routing,        ///< The rule and LLM analysis of the request.
  planning,       ///< The plan is being written.
  diagnosis,      ///< Read-only investigation (runs while the plan waits for approval).
  plan_review,    ///< Gate: a human approves the plan.
  automation,     ///< The script is being written.
  script_check,   ///< Syntax and security checks of the script.
  script_review,  ///< Gate: a human approves a script with high-severity findings.
  writing,        ///< Email, summary, report, action items.
  aggregating,    ///< The record is being completed.
  done,
};

/// True for completed, failed, rejected and cancelled: nothing runs until retry (failed only).
constexpr bool is_final(TaskStatus status) noexcept {
  return status == TaskStatus::completed || status == TaskStatus::failed ||
         status == TaskStatus::rejected || status == TaskStatus::cancelled;
}

/// The two stages where a task waits for a human.
constexpr bool is_gate(Stage stage) noexcept {
  return stage == Stage::plan_review || stage == Stage::script_review;
}

}  // namespace opsgraph::coordinator

template <>
struct opsgraph::json::Schema<opsgraph::coordinator::TaskStatus> {
  using S = opsgraph::coordinator::TaskStatus;
  static constexpr auto names = json::enum_names<S>({{S::queued, "queued"},
                                                     {S::in_progress, "in_progress"},
                                                     {S::waiting_approval, "waiting_approval"},
                                                     {S::completed, "completed"},
                                                     {S::failed, "failed"},
                                                     {S::rejected, "rejected"},
                                                     {S::cancelled, "cancelled"}});
};

template <>
struct opsgraph::json::Schema<opsgraph::coordinator::Stage> {
  using S = opsgraph::coordinator::Stage;
  static constexpr auto names = json::enum_names<S>({{S::routing, "routing"},
                                                     {S::planning, "planning"},
                                                     {S::diagnosis, "diagnosis"},
                                                     {S::plan_review, "plan_review"},
                                                     {S::automation, "automation"},
                                                     {S::script_check, "script_check"},
                                                     {S::script_review, "script_review"},
                                                     {S::writing, "writing"},
                                                     {S::aggregating, "aggregating"},
                                                     {S::done, "done"}});
};
