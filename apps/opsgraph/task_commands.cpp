#include "task_commands.hpp"

#include <iostream>
#include <memory>
#include <opsgraph/core/json_codec.hpp>
#include <string>
#include <vector>

#include "engine_setup.hpp"
#include "output.hpp"
#include "task_flow.hpp"
#include "task_printer.hpp"

namespace opsgraph::cli {
namespace {

using coordinator::TaskSnapshot;

struct TaskArguments {
  EngineArguments engine;
  std::string task_id = "";
  std::string actor = "";
  std::string hash = "";
  std::string comment = "";
  std::string reason = "";
  bool wait = false;
  bool no_wait = false;
  bool json = false;
  double timeout_seconds = 1800;
  // list
  std::vector<std::string> statuses = {};
  std::string requester = "";
  std::size_t limit = 20;
  std::string cursor = "";
};

std::string actor_of(const TaskArguments& args) {
  return args.actor.empty() ? default_actor() : args.actor;
}

// Follows the task in this process (which runs it) until it is final or at a gate; exit code of
// its outcome.
ExitCode follow_and_finish(std::string_view command, engine::Engine& engine,
                           const TaskSnapshot& task, const TaskArguments& args) {
  if (args.no_wait) {
    // The decision is recorded; whichever engine next claims the task runs it on.
    if (args.json)
      std::cout << json::encode(task) << '\n';
    else
      std::cout << text_row("task", task.task_id) << '\n'
                << text_row("status", std::string(json::enum_name(task.status))) << '\n';
    return kSuccess;
  }
  if (coordinator::is_final(task.status))
    return finish(task, args.json);
  Progress progress = progress_for(args.json);
  progress.attach(engine);
  FollowOptions options;
  options.actor = actor_of(args);
  options.timeout =
      std::chrono::milliseconds{static_cast<std::int64_t>(args.timeout_seconds * 1000)};
  auto followed = follow_task(engine, task.task_id, progress, std::cerr, options);
  if (!followed)
    return report_error(command, followed.error(), args.json);
  return finish(followed.value(), args.json);
}

ExitCode status(const TaskArguments& args) {
  const EngineRole role = args.wait ? EngineRole::worker : EngineRole::reader;
  auto engine = open_engine(args.engine, role);
  if (!engine)
    return report_error("status", engine.error(), args.json);
  auto task = engine.value()->status(args.task_id);
  if (!task)
    return report_error("status", task.error(), args.json);
  if (args.wait)
    return follow_and_finish("status", *engine.value(), task.value(), args);
  finish(task.value(), args.json);
  return kSuccess;
}

ExitCode list(const TaskArguments& args) {
  auto engine = open_engine(args.engine, EngineRole::reader);
  if (!engine)
    return report_error("list", engine.error(), args.json);
  engine::TaskQuery query;
  for (const std::string& name : args.statuses) {
    auto status = json::enum_value<coordinator::TaskStatus>(name);
    if (!status) {
      return report_error("list",
                          make_error(errc::invalid_argument,
                                     "unknown status \"" + name +
                                         "\": expected queued, in_progress, waiting_approval, "
                                         "completed, failed, rejected or cancelled"),
                          args.json);
    }
    query.statuses.push_back(*status);
  }
  if (!args.requester.empty())
    query.requester = args.requester;
  query.limit = args.limit;
  query.cursor = args.cursor;
  auto page = engine.value()->list(query);
  if (!page)
    return report_error("list", page.error(), args.json);
  if (args.json) {
    std::cout << json::encode(page.value()) << '\n';
    return kSuccess;
  }
  for (const TaskSnapshot& task : page.value().tasks)
    print_task_line(std::cout, task);
  if (page.value().tasks.empty())
    std::cout << "no tasks\n";
  if (page.value().next_cursor)
    std::cout << "more: opsgraph list --cursor " << *page.value().next_cursor << '\n';
  return kSuccess;
}

// With --no-wait the command only records: a worker elsewhere (or a later `status --wait`) runs
// the task, and this process starts nothing it would abandon at exit.
EngineRole role_for(const TaskArguments& args) {
  return args.no_wait ? EngineRole::reader : EngineRole::worker;
}

ExitCode approve(const TaskArguments& args) {
  auto engine = open_engine(args.engine, role_for(args));
  if (!engine)
    return report_error("approve", engine.error(), args.json);
  engine::ApproveRequest request;
  request.actor = actor_of(args);
  request.comment = args.comment;
  request.hash = args.hash;
  auto task = engine.value()->approve(args.task_id, request);
  if (!task)
    return report_error("approve", task.error(), args.json);
  return follow_and_finish("approve", *engine.value(), task.value(), args);
}

ExitCode reject(const TaskArguments& args) {
  auto engine = open_engine(args.engine, EngineRole::reader);
  if (!engine)
    return report_error("reject", engine.error(), args.json);
  engine::RejectRequest request;
  request.actor = actor_of(args);
  request.reason = args.reason;
  auto task = engine.value()->reject(args.task_id, request);
  if (!task)
    return report_error("reject", task.error(), args.json);
  finish(task.value(), args.json);
  return kSuccess;
}

ExitCode retry(const TaskArguments& args) {
  auto engine = open_engine(args.engine, role_for(args));
  if (!engine)
    return report_error("retry", engine.error(), args.json);
  auto task = engine.value()->retry(args.task_id, actor_of(args));
  if (!task)
    return report_error("retry", task.error(), args.json);
  return follow_and_finish("retry", *engine.value(), task.value(), args);
}

ExitCode cancel(const TaskArguments& args) {
  auto engine = open_engine(args.engine, EngineRole::reader);
  if (!engine)
    return report_error("cancel", engine.error(), args.json);
  auto task = engine.value()->cancel(args.task_id, actor_of(args));
  if (!task)
    return report_error("cancel", task.error(), args.json);
  finish(task.value(), args.json);
  return kSuccess;
}

using Handler = ExitCode (*)(const TaskArguments&);

// A subcommand taking a task id, the engine options and --json.
CLI::App* add_task_command(CLI::App& app, ExitCode& exit_code, const std::string& name,
                           const std::string& description, Handler handler,
                           std::shared_ptr<TaskArguments>& args) {
  args = std::make_shared<TaskArguments>();
  CLI::App* command = app.add_subcommand(name, description);
  command->add_option("task_id", args->task_id, "The task's id")->required();
  command->add_flag("--json", args->json, "Print the task as JSON");
  add_engine_options(*command, args->engine);
  command->callback([args, handler, &exit_code] { exit_code = handler(*args); });
  return command;
}

void add_follow_options(CLI::App& command, TaskArguments& args) {
  command.add_flag("--no-wait", args.no_wait,
                   "Return once the decision is recorded instead of running the task on");
  command.add_option("--timeout", args.timeout_seconds, "Seconds to follow the task at most")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
}

}  // namespace

void add_task_commands(CLI::App& app, ExitCode& exit_code) {
  std::shared_ptr<TaskArguments> args;
  CLI::App* status_command =
      add_task_command(app, exit_code, "status",
                       "Show a task: status, plan, diagnosis, script, email", status, args);
  status_command->add_flag("--wait", args->wait,
                           "Run the task in this process until it is final or at a gate (exit "
                           "code as for run)");
  status_command->add_option("--timeout", args->timeout_seconds, "Seconds to follow it at most")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);

  auto list_args = std::make_shared<TaskArguments>();
  CLI::App* list_command = app.add_subcommand("list", "List tasks, newest first");
  list_command->add_option("--status", list_args->statuses,
                           "Only tasks in these statuses (repeatable)");
  list_command->add_option("--requester", list_args->requester, "Only tasks of this requester");
  list_command->add_option("--limit", list_args->limit, "Tasks per page (1..1000)")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000));
  list_command->add_option("--cursor", list_args->cursor, "The next page, as printed");
  list_command->add_flag("--json", list_args->json, "Print {\"tasks\": [...], \"next_cursor\"}");
  add_engine_options(*list_command, list_args->engine);
  list_command->callback([list_args, &exit_code] { exit_code = list(*list_args); });

  CLI::App* approve_command = add_task_command(
      app, exit_code, "approve",
      "Approve the gate a task waits at, then run it on here until it is final or at a gate "
      "(exit code as for run)",
      approve, args);
  approve_command->add_option("--hash", args->hash,
                              "The hash of what is approved (required at script_review)");
  approve_command->add_option("--comment", args->comment, "A comment kept with the approval");
  approve_command->add_option("--actor", args->actor, "Who approves (default $USER)");
  add_follow_options(*approve_command, *args);

  CLI::App* reject_command =
      add_task_command(app, exit_code, "reject",
                       "Reject the gate a task waits at: the task ends rejected", reject, args);
  reject_command->add_option("--reason", args->reason, "Why, kept with the decision");
  reject_command->add_option("--actor", args->actor, "Who rejects (default $USER)");

  CLI::App* retry_command = add_task_command(
      app, exit_code, "retry",
      "Queue a failed task again and run it here from its last finished step", retry, args);
  retry_command->add_option("--actor", args->actor, "Who retries (default $USER)");
  add_follow_options(*retry_command, *args);

  CLI::App* cancel_command = add_task_command(app, exit_code, "cancel",
                                              "Cancel a task that has not finished", cancel, args);
  cancel_command->add_option("--actor", args->actor, "Who cancels (default $USER)");
}

}  // namespace opsgraph::cli
