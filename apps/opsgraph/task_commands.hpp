#pragma once
// The commands on tasks that exist: `opsgraph status|list|approve|reject|retry|cancel`. They open
// the same store as `run`. approve and retry run the task in this process afterwards (its engine
// claims it) and wait until it is final or at a gate again, unless --no-wait; their exit code is
// then the task's outcome, as for run.

#include <CLI/App.hpp>

#include "exit_code.hpp"

namespace opsgraph::cli {

/// Adds status, list, approve, reject, retry and cancel to `app`; the exit code of the one that
/// runs is stored in `exit_code`.
void add_task_commands(CLI::App& app, ExitCode& exit_code);

}  // namespace opsgraph::cli
