// opsgraphd — the HTTP service: `opsgraph serve` as a program of its own, for service managers
// and containers. docs/http-api.md is the guide.

#include <CLI/App.hpp>
#include <CLI/Config.hpp>
#include <CLI/Formatter.hpp>
#include <exception>
#include <iostream>

#include "exit_code.hpp"
#include "serve_command.hpp"

int main(int argc, char** argv) {
  using namespace opsgraph::cli;
  CLI::App app{
      "opsgraphd: the opsgraph HTTP API (execute, approve, reject, status, events) until SIGINT "
      "or SIGTERM"};
  app.set_version_flag("--version", std::string(OPSGRAPH_VERSION));
  ServeArguments args;
  add_serve_options(app, args);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int code = app.exit(error);
    return code == 0 ? kSuccess : kUsage;
  } catch (const std::exception& error) {
    std::cerr << "opsgraphd: " << error.what() << '\n';
    return kError;
  }
  return run_serve(args, "opsgraphd");
}
