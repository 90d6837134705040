#include "submit_command.hpp"

#include <iostream>
#include <memory>
#include <opsgraph/core/json.hpp>
#include <opsgraph/engine/requests.hpp>
#include <string>

#include "engine_setup.hpp"
#include "input.hpp"
#include "output.hpp"
#include "task_flow.hpp"

namespace opsgraph::cli {
namespace {

constexpr std::string_view kCommand = "submit";

struct SubmitArguments {
  EngineArguments engine;
  std::string request = "";
  std::string file = "";
  std::string context = "";
  std::string language = "";
  std::string actor = "";
  std::string idempotency_key = "";
  bool require_approval = true;
  bool require_approval_given = false;
  bool json = false;
};

result<engine::ExecuteRequest> request_from(const SubmitArguments& args) {
  engine::ExecuteRequest request;
  if (args.file.empty()) {
    request.request = args.request;
  } else {
    OPSGRAPH_TRY(auto text, read_input(args.file, std::size_t{1} << 20));
    request.request = std::move(text);
  }
  if (args.require_approval_given)
    request.require_approval = args.require_approval;
  if (!args.language.empty()) {
    OPSGRAPH_TRY(auto language, safety::parse_language(args.language));
    request.language = language;
  }
  if (!args.context.empty()) {
    OPSGRAPH_TRY(auto context, json::parse(args.context));
    request.context = std::move(context);
  }
  request.requester = args.actor.empty() ? default_actor() : args.actor;
  if (!args.idempotency_key.empty())
    request.idempotency_key = args.idempotency_key;
  return request;
}

ExitCode submit(const SubmitArguments& args) {
  auto request = request_from(args);
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
  auto* text = command->add_option("request", args->request, "The request text");
  auto* file =
      command->add_option("-f,--file", args->file, "Read the request from FILE ('-': stdin)");
  text->excludes(file);
  auto* require = command->add_flag(
      "--require-approval{true}", args->require_approval,
      "Ask for an approval whatever the risk (=false asks for none; the policy may still require "
      "one)");
  command->add_option("--context", args->context,
                      R"(Context of the request, a JSON object, e.g. {"host": "cpu01"})");
  command->add_option("--language", args->language,
                      "Script language wanted: bash, powershell, python, azurecli");
  command->add_option("--actor", args->actor, "Who asks (recorded; default $USER)");
  command->add_option("--idempotency-key", args->idempotency_key,
                      "Submitting again with the same key returns the first task");
  command->add_flag("--json", args->json, "Print the stored task as JSON instead of its id");
  add_engine_options(*command, args->engine);
  command->callback([args, require, &exit_code] {
    if (args->request.empty() && args->file.empty())
      throw CLI::RequiredError("a request text or --file");
    args->require_approval_given = require->count() > 0;
    exit_code = submit(*args);
  });
}

}  // namespace opsgraph::cli
