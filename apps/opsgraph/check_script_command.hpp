#pragma once
// `opsgraph check-script --language bash FILE|-`: the ScriptChecker on one script — syntax, lint
// and security findings — without running it. Exits 1 when the script does not pass.

#include <CLI/App.hpp>

#include "exit_code.hpp"

namespace opsgraph::cli {

/// Adds the subcommand to `app`; when it runs, its exit code is stored in `exit_code`.
void add_check_script_command(CLI::App& app, ExitCode& exit_code);

}  // namespace opsgraph::cli
