#pragma once
// `opsgraph run "<request>"`: the whole workflow in this process, on the SQLite store: route,
// plan, approval (asked at the terminal, or --approve / --reject / left waiting with exit 4),
// diagnosis, script with its check report and rollback, email; progress while it runs, then the
// task (or its JSON with --json).

#include <CLI/App.hpp>

#include "exit_code.hpp"

namespace opsgraph::cli {

/// Adds the subcommand to `app`; when it runs, its exit code is stored in `exit_code`.
void add_run_command(CLI::App& app, ExitCode& exit_code);

}  // namespace opsgraph::cli
