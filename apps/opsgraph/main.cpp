// opsgraph — the command line of the opsgraph engine. Each subcommand lives in its own file and
// registers itself here; exit codes are in exit_code.hpp.

#include <CLI/App.hpp>
#include <CLI/Config.hpp>
#include <CLI/Formatter.hpp>
#include <exception>
#include <iostream>

#include "check_script_command.hpp"
#include "exit_code.hpp"
#include "keys_command.hpp"
#include "route_command.hpp"
#include "run_command.hpp"
#include "serve_command.hpp"
#include "submit_command.hpp"
#include "task_commands.hpp"
#include "worker_command.hpp"

int main(int argc, char** argv) {
  using namespace opsgraph::cli;
  CLI::App app{"opsgraph: LLM-driven IT task automation, routed, approved and checked"};
  app.set_version_flag("--version", std::string(OPSGRAPH_VERSION));
  app.require_subcommand(1);

  ExitCode exit_code = kSuccess;
  add_run_command(app, exit_code);
  add_task_commands(app, exit_code);
  add_route_command(app, exit_code);
  add_check_script_command(app, exit_code);
  add_submit_command(app, exit_code);
  add_worker_command(app, exit_code);
  add_serve_command(app, exit_code);
  add_keys_command(app, exit_code);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    // --help and --version arrive here too, with a success code.
    const int code = app.exit(error);
    return code == 0 ? kSuccess : kUsage;
  } catch (const std::exception& error) {
    std::cerr << "opsgraph: " << error.what() << '\n';
    return kError;
  }
  return exit_code;
}
