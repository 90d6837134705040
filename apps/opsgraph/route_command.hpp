#pragma once
// `opsgraph route "<request>"`: the deterministic rule stage of the router on one request, so
// operators can try their rule files (--rules) before deploying them.

#include <CLI/App.hpp>

#include "exit_code.hpp"

namespace opsgraph::cli {

/// Adds the subcommand to `app`; when it runs, its exit code is stored in `exit_code`.
void add_route_command(CLI::App& app, ExitCode& exit_code);

}  // namespace opsgraph::cli
