#pragma once
// The opsgraph CLI's exit codes: scripts branch on them, so they never change meaning. Commands
// that follow a task (run, approve, retry) end with the code of the task's outcome: 0 completed,
// 4 waiting for approval, 5 failed, 6 rejected or cancelled.

namespace opsgraph::cli {

enum ExitCode : int {
  kSuccess = 0,          ///< The command did what was asked; a task it followed completed.
  kCheckFailed = 1,      ///< The command ran, and what it checked did not pass (a script's lint).
  kUsage = 2,            ///< The command line was wrong (unknown option, missing argument).
  kError = 3,            ///< The command could not run: no LLM configured, unreadable file, bad
                         ///< input, unknown task, a decision the task's state refuses.
  kWaitingApproval = 4,  ///< The task waits for a human at a gate: `opsgraph approve|reject ID`.
  kTaskFailed = 5,       ///< The task failed; `opsgraph retry ID` continues it.
  kTaskStopped = 6,      ///< The task ended rejected or cancelled.
};

}  // namespace opsgraph::cli
