#include "run_command.hpp"

#include <unistd.h>

#include <iostream>
#include <memory>
#include <opsgraph/core/json.hpp>
#include <opsgraph/engine/requests.hpp>
#include <string>

#include "engine_setup.hpp"
#include "output.hpp"
#include "request_options.hpp"
#include "task_flow.hpp"

namespace opsgraph::cli {
namespace {

constexpr std::string_view kCommand = "run";

struct RunArguments {
  EngineArguments engine;
  RequestArguments request;
  bool approve = false;
  std::string reject_reason = "";
  std::string comment = "";
  bool no_wait = false;
  bool json = false;
  double timeout_seconds = 1800;
  // Set from the parsed command line: whether --reject was given at all.
  bool reject_given = false;
};

FollowOptions follow_options(const RunArguments& args) {
  FollowOptions options;
  options.actor = args.request.actor.empty() ? default_actor() : args.request.actor;
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
  auto request = request_from(args.request);
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
  add_request_options(*command, args->request,
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
  command->callback([args, reject, &exit_code] {
    check_request_arguments(args->request);
    args->reject_given = reject->count() > 0;
    exit_code = run(*args);
  });
}

}  // namespace opsgraph::cli
