#pragma once
// Following a task in this process until it needs nothing more from the command: progress lines
// while it runs, a decision at each gate (asked at the terminal, given by flag, or left for
// `opsgraph approve|reject` later), and the exit code its outcome maps to.

#include <chrono>
#include <opsgraph/coordinator/task_snapshot.hpp>
#include <opsgraph/core/result.hpp>
#include <opsgraph/engine/engine.hpp>
#include <ostream>
#include <string>

#include "exit_code.hpp"
#include "progress.hpp"

namespace opsgraph::cli {

/// What to do when the task waits at a gate.
enum class AtGate {
  /// Stop there and return the waiting task (the engine keeps it for a later decision).
  leave,
  /// Show the gate and ask at the terminal: approve, reject, or leave it waiting.
  ask,
  /// Approve the plan (plan_review) with its hash. A script with findings (script_review) is
  /// never approved by a flag given before it existed: the task is left waiting there.
  approve_plan,
  /// Reject at whichever gate the task waits.
  reject,
};

struct FollowOptions {
  AtGate at_gate = AtGate::leave;
  std::string actor = "cli";
  /// The approval's comment, or the rejection's reason.
  std::string comment = "";
  /// How long to follow the task before giving up (the task goes on under the next engine).
  std::chrono::milliseconds timeout{std::chrono::minutes{30}};
};

/// Follows task `task_id` until it is final or left waiting at a gate (or `options.timeout`
/// passes), printing progress to `progress` and gate views to `out`. Before leaving a task at the
/// plan gate it waits for the read-only diagnosis running beside it, so leaving does not cancel
/// that work. Errors: what the engine's calls report (not_found, conflict, ...).
result<coordinator::TaskSnapshot> follow_task(engine::Engine& engine, const std::string& task_id,
                                              Progress& progress, std::ostream& out,
                                              const FollowOptions& options);

/// 0 completed, 4 waiting for approval, 5 failed, 6 rejected or cancelled, 3 still running.
ExitCode outcome_code(const coordinator::TaskSnapshot& task);

}  // namespace opsgraph::cli

namespace opsgraph::cli {

/// Who decides, when --actor is not given: $USER, else "cli".
std::string default_actor();

}  // namespace opsgraph::cli

namespace opsgraph::cli {

/// Prints `task` on stdout, as JSON (`json`) or as text with the next step, and returns
/// outcome_code(task).
ExitCode finish(const coordinator::TaskSnapshot& task, bool json);

/// The progress printer of a command: stdout, or stderr when stdout carries JSON; styled when
/// that stream is a terminal.
Progress progress_for(bool json);

}  // namespace opsgraph::cli
