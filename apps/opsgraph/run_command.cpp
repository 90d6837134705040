#include "run_command.hpp"

#include <unistd.h>

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

constexpr std::string_view kCommand = "run";

struct RunArguments {
  EngineArguments engine;
  std::string request = "";
  std::string file = "";
  std::string context = "";
  std::string language = "";
  std::string actor = "";
  bool require_approval = true;
  bool approve = false;
  std::string reject_reason = "";
  std::string comment = "";
  bool no_wait = false;
  bool json = false;
  double timeout_seconds = 1800;
  // Set from the parsed command line: whether the optional flags were given at all.
  bool require_approval_given = false;
  bool reject_given = false;
};

result<engine::ExecuteRequest> request_from(const RunArguments& args) {
  engine::ExecuteRequest request;
  if (args.file.empty()) {
    request.request = args.request;
  } else {
    // The engine refuses oversized text itself; this bound only keeps a stray file out of memory.
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
  return request;
}

FollowOptions follow_options(const RunArguments& args) {
  FollowOptions options;
  options.actor = args.actor.empty() ? default_actor() : args.actor;
  options.timeout =
      std::chrono::milliseconds{static_cast<std::int64_t>(args.timeout_seconds * 1000)};
  if (args.approve) {
    options.at_gate = AtGate::approve_plan;
    options.comment = args.comment;
  } else if (args.reject_given) {
    options.at_gate = AtGate::reject;
    options.comment = args.reject_reason;
  } else if (!args.no_wait && isatty(STDIN_FILENO) != 0) {
    options.at_gate = AtGate::ask;
    options.comment = args.comment;
  }
  return options;
}

ExitCode run(const RunArguments& args) {
  auto request = request_from(args);
  if (!request)
    return report_error(kCommand, request.error(), args.json);
  auto engine = open_engine(args.engine, EngineRole::worker);
  if (!engine)
    return report_error(kCommand, engine.error(), args.json);
  Progress progress = progress_for(args.json);
  progress.attach(*engine.value());
  auto created = engine.value()->execute(request.value());
  if (!created)
    return report_error(kCommand, created.error(), args.json);
  progress.follow(created.value().task_id);
  progress.note("task " + created.value().task_id);
  auto task = follow_task(*engine.value(), created.value().task_id, progress,
                          args.json ? std::cerr : std::cout, follow_options(args));
  if (!task)
    return report_error(kCommand, task.error(), args.json);
  const ExitCode code = finish(task.value(), args.json);
  if (code == kError) {
    std::cerr << "opsgraph run: task " << task.value().task_id << " is still "
              << json::enum_name(task.value().status) << " after --timeout; an engine that opens "
              << "this store continues it\n";
  }
  return code;
}

}  // namespace

void add_run_command(CLI::App& app, ExitCode& exit_code) {
  auto args = std::make_shared<RunArguments>();
  CLI::App* command = app.add_subcommand(
      std::string(kCommand),
      "Run a request end to end in this process: plan, approval, diagnosis, script, email.\n"
      "Exit codes: 0 completed, 4 waiting for approval (decide later with `opsgraph approve|"
      "reject ID`), 5 failed (`opsgraph retry ID`), 6 rejected or cancelled, 2 usage, 3 error "
      "(no LLM configured, bad input).");
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
  command->add_option("--actor", args->actor,
                      "Who asks and decides (recorded in the audit trail; default $USER)");
  auto* approve = command->add_flag("--approve", args->approve,
                                    "Approve the plan when it needs approval (non-interactive)");
  auto* reject = command->add_flag("--reject{rejected at the command line}", args->reject_reason,
                                   "Reject at the gate; --reject=REASON records why");
  auto* no_wait = command->add_flag(
      "--no-wait", args->no_wait,
      "At a gate, print the task and exit 4 without asking (decide later with opsgraph approve)");
  approve->excludes(reject)->excludes(no_wait);
  reject->excludes(no_wait);
  command->add_option("--comment", args->comment, "The approval's comment");
  command
      ->add_option("--timeout", args->timeout_seconds,
                   "Seconds to follow the task before leaving it to the next engine")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  command->add_flag("--json", args->json,
                    "Print the task as JSON on stdout (progress goes to stderr)");
  add_engine_options(*command, args->engine);
  command->callback([args, require, reject, &exit_code] {
    if (args->request.empty() && args->file.empty())
      throw CLI::RequiredError("a request text or --file");
    args->require_approval_given = require->count() > 0;
    args->reject_given = reject->count() > 0;
    exit_code = run(*args);
  });
}

}  // namespace opsgraph::cli
