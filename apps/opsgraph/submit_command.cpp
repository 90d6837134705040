#include "submit_command.hpp"

#include <iostream>
#include <memory>
#include <opsgraph/core/json.hpp>
#include <opsgraph/engine/requests.hpp>
#include <string>

#include "engine_setup.hpp"
#include "output.hpp"
#include "request_options.hpp"

namespace opsgraph::cli {
namespace {

constexpr std::string_view kCommand = "submit";

struct SubmitArguments {
  EngineArguments engine;
  RequestArguments request;
  bool json = false;
};

ExitCode submit(const SubmitArguments& args) {
  auto request = request_from(args.request);
  if (!request)
    return report_error(kCommand, request.error(), args.json);
  // A reader: runs no task and needs no LLM.
  auto engine = open_engine(args.engine, EngineRole::reader);
  if (!engine)
    return report_error(kCommand, engine.error(), args.json);
  auto task = engine.value()->execute(request.value());
  if (!task)
    return report_error(kCommand, task.error(), args.json);
  if (args.json)
    std::cout << json::encode(task.value()) << '\n';
  else
    std::cout << task.value().task_id << '\n';
  return kSuccess;
}

}  // namespace

void add_submit_command(CLI::App& app, ExitCode& exit_code) {
  auto args = std::make_shared<SubmitArguments>();
  CLI::App* command = app.add_subcommand(
      std::string(kCommand),
      "Store a request, queued, for `opsgraph worker` processes on the same store to run; print "
      "its id and return at once.\nExit codes: 0 stored, 2 usage, 3 error (bad input, store "
      "unreachable).");
  add_request_options(*command, args->request, "Who asks (recorded; default $USER)");
  command->add_flag("--json", args->json, "Print the stored task as JSON instead of its id");
  add_engine_options(*command, args->engine);
  command->callback([args, &exit_code] {
    check_request_arguments(args->request);
    exit_code = submit(*args);
  });
}

}  // namespace opsgraph::cli
