#pragma once
// `opsgraph keys create|list|revoke`: the HTTP API's keys, managed on the store itself (so the
// first admin key can be made before any server runs). A new key's secret is printed once.

#include <CLI/App.hpp>

#include "exit_code.hpp"

namespace opsgraph::cli {

/// Adds `keys` and its subcommands to `app`; the exit code of the one that runs goes to
/// `exit_code`.
void add_keys_command(CLI::App& app, ExitCode& exit_code);

}  // namespace opsgraph::cli
