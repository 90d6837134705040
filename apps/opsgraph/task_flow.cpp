#include "task_flow.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <opsgraph/core/json_codec.hpp>
#include <thread>

#include "task_printer.hpp"

namespace opsgraph::cli {
namespace {

using coordinator::Stage;
using coordinator::TaskSnapshot;
using coordinator::TaskStatus;
using Clock = std::chrono::steady_clock;

constexpr std::chrono::milliseconds kSlice{200};
// The longest wait for the diagnosis before leaving a task at the plan gate: as long as one node
// may take by default.
constexpr std::chrono::minutes kDiagnosisWait{5};

bool settled(const TaskSnapshot& task) {
  return coordinator::is_final(task.status) || task.status == TaskStatus::waiting_approval;
}

std::chrono::milliseconds left(Clock::time_point deadline) {
  return std::max(std::chrono::milliseconds{0},
                  std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()));
}

// Waits in short slices so progress lines appear while the task runs.
result<TaskSnapshot> wait_settled(engine::Engine& engine, const std::string& id, Progress& progress,
                                  Clock::time_point deadline) {
  for (;;) {
    progress.flush();
    OPSGRAPH_TRY(auto task,
                 engine.wait(id, engine::WaitFor::settled, std::min(kSlice, left(deadline))));
    if (settled(task) || Clock::now() >= deadline) {
      progress.flush();
      return task;
    }
  }
}

bool diagnosis_pending(const TaskSnapshot& task) {
  const auto& agents = task.route.required_agents;
  return task.status == TaskStatus::waiting_approval && task.stage == Stage::plan_review &&
         !task.diagnosis &&
         std::find(agents.begin(), agents.end(), router::Agent::diagnostic) != agents.end();
}

// Leaving the process stops its engine, which would cancel the diagnosis running beside the plan
// gate; let it finish first, so its answer is kept and shown.
result<TaskSnapshot> settle_before_leaving(engine::Engine& engine, TaskSnapshot task,
                                           Progress& progress, Clock::time_point deadline) {
  if (!diagnosis_pending(task))
    return task;
  progress.note("the read-only diagnosis runs beside the gate; waiting for it to finish");
  const auto until = std::min(deadline, Clock::now() + kDiagnosisWait);
  // running_tasks() counts every task this engine runs; it is 0 once the run has parked.
  while (diagnosis_pending(task) && engine.running_tasks() > 0 && Clock::now() < until) {
    std::this_thread::sleep_for(kSlice / 2);
    progress.flush();
    OPSGRAPH_TRY(task, engine.status(task.task_id));
  }
  progress.flush();
  return task;
}

enum class Answer { approve, reject, leave };

Answer ask(std::ostream& out) {
  for (;;) {
    out << "\n[a]pprove, [r]eject, or [l]eave it waiting? " << std::flush;
    std::string reply;
    if (!std::getline(std::cin, reply))
      return Answer::leave;
    if (reply == "a" || reply == "approve")
      return Answer::approve;
    if (reply == "r" || reply == "reject")
      return Answer::reject;
    if (reply == "l" || reply == "leave" || reply == "q")
      return Answer::leave;
  }
}

std::string gate_hash(const TaskSnapshot& task) {
  if (task.stage == Stage::script_review)
    return task.script ? task.script->hash : "";
  return task.plan ? task.plan->hash : "";
}

result<TaskSnapshot> approve(engine::Engine& engine, const TaskSnapshot& task,
                             const FollowOptions& options) {
  engine::ApproveRequest request;
  request.actor = options.actor;
  request.comment = options.comment;
  // Name exactly what was shown: a plan or script that changed meanwhile is refused.
  request.hash = gate_hash(task);
  return engine.approve(task.task_id, request);
}

result<TaskSnapshot> reject(engine::Engine& engine, const TaskSnapshot& task,
                            const FollowOptions& options, std::string reason) {
  engine::RejectRequest request;
  request.actor = options.actor;
  request.reason = std::move(reason);
  return engine.reject(task.task_id, request);
}

}  // namespace

result<TaskSnapshot> follow_task(engine::Engine& engine, const std::string& task_id,
                                 Progress& progress, std::ostream& out,
                                 const FollowOptions& options) {
  const auto deadline = Clock::now() + options.timeout;
  progress.follow(task_id);
  for (;;) {
    OPSGRAPH_TRY(auto task, wait_settled(engine, task_id, progress, deadline));
    if (!settled(task) || coordinator::is_final(task.status))
      return task;
    AtGate choice = options.at_gate;
    if (choice == AtGate::approve_plan && task.stage != Stage::plan_review)
      choice = AtGate::leave;
    switch (choice) {
      case AtGate::leave:
        return settle_before_leaving(engine, std::move(task), progress, deadline);
      case AtGate::approve_plan: {
        progress.note("approving the plan (--approve)");
        OPSGRAPH_TRY(approve(engine, task, options));
        break;
      }
      case AtGate::reject: {
        progress.note("rejecting (--reject)");
        OPSGRAPH_TRY(reject(engine, task, options, options.comment));
        break;
      }
      case AtGate::ask: {
        out << '\n';
        print_gate(out, task);
        const Answer answer = ask(out);
        if (answer == Answer::leave)
          return settle_before_leaving(engine, std::move(task), progress, deadline);
        if (answer == Answer::approve) {
          OPSGRAPH_TRY(approve(engine, task, options));
        } else {
          out << "Reason (optional): " << std::flush;
          std::string reason;
          std::getline(std::cin, reason);
          OPSGRAPH_TRY(reject(engine, task, options, reason));
        }
        break;
      }
    }
  }
}

ExitCode outcome_code(const TaskSnapshot& task) {
  switch (task.status) {
    case TaskStatus::completed:
      return kSuccess;
    case TaskStatus::waiting_approval:
      return kWaitingApproval;
    case TaskStatus::failed:
      return kTaskFailed;
    case TaskStatus::rejected:
    case TaskStatus::cancelled:
      return kTaskStopped;
    case TaskStatus::queued:
    case TaskStatus::in_progress:
      break;
  }
  return kError;
}

}  // namespace opsgraph::cli

namespace opsgraph::cli {

std::string default_actor() {
  const char* user = std::getenv("USER");
  return user != nullptr && *user != '\0' ? std::string(user) : std::string("cli");
}

}  // namespace opsgraph::cli

namespace opsgraph::cli {

ExitCode finish(const coordinator::TaskSnapshot& task, bool json) {
  if (json) {
    std::cout << json::encode(task) << std::endl;
  } else {
    std::cout << '\n';
    print_task(std::cout, task);
    print_next_step(std::cout, task);
    std::cout << std::flush;
  }
  return outcome_code(task);
}

Progress progress_for(bool json) {
  std::FILE* stream = json ? stderr : stdout;
  return Progress(stream, isatty(fileno(stream)) != 0);
}

}  // namespace opsgraph::cli
