#pragma once
// `opsgraph submit "<request>"`: a front end that only records. The request is validated, routed
// by the rules and stored queued; the command prints the task id and returns at once, leaving the
// work to `opsgraph worker` processes on the same store (no LLM is needed here).

#include <CLI/App.hpp>

#include "exit_code.hpp"

namespace opsgraph::cli {

/// Adds the subcommand to `app`; when it runs, its exit code is stored in `exit_code`.
void add_submit_command(CLI::App& app, ExitCode& exit_code);

}  // namespace opsgraph::cli
