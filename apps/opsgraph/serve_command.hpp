#pragma once
// `opsgraph serve` (and the `opsgraphd` program, which is this command alone): the HTTP API of
// docs/http-api.md over an engine on the configured store, on 127.0.0.1:8080 unless told
// otherwise, until SIGINT or SIGTERM. The first signal stops accepting, lets requests in flight
// finish and releases running tasks (they resume from their last checkpoint under the next
// engine); a second one ends the process at once. `--no-worker` serves the API only, for a fleet
// whose `opsgraph worker` processes run the tasks.

#include <CLI/App.hpp>
#include <cstdint>
#include <string>

#include "exit_code.hpp"

namespace opsgraph::cli {

struct ServeArguments {
  std::string config = "";
  std::string store = "";
  std::string llm_url = "";
  std::string model = "";
  std::string host = "";
  // -1: the config's (8080 by default); 0 picks a free port.
  std::int64_t port = -1;
  bool no_worker = false;
  std::string access_log = "";
  std::string log_level = "warn";
};

/// Adds serve's options to `command`.
void add_serve_options(CLI::App& command, ServeArguments& args);

/// Serves until a signal; `program` names the process in what it prints.
ExitCode run_serve(const ServeArguments& args, std::string_view program);

/// Adds `serve` to `app`; when it runs, its exit code is stored in `exit_code`.
void add_serve_command(CLI::App& app, ExitCode& exit_code);

}  // namespace opsgraph::cli
