#pragma once
// `opsgraph worker`: a long-running process that runs the tasks of a shared store (PostgreSQL for
// a fleet on several machines, SQLite for several processes on one): it claims runnable tasks
// with leases until SIGINT or SIGTERM. The first signal stops claiming and lets the engine wind
// down (tasks in flight are released unfinished and resume from their last checkpoint under
// another worker); a second one ends the process at once. docs/operations.md is the guide.

#include <CLI/App.hpp>

#include "exit_code.hpp"

namespace opsgraph::cli {

/// Adds the subcommand to `app`; when it runs, its exit code is stored in `exit_code`.
void add_worker_command(CLI::App& app, ExitCode& exit_code);

}  // namespace opsgraph::cli
