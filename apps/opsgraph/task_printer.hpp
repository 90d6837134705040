#pragma once
// Human-readable renderings of a task (coordinator::TaskSnapshot): the whole record, the part an
// approver decides on at a gate, and one line per task for listings. Plain text with no control
// sequences, so it reads the same on a terminal, in a pipe and in a log.

#include <opsgraph/coordinator/task_snapshot.hpp>
#include <ostream>

namespace opsgraph::cli {

/// Everything the task holds: status, risk and reasons, plan, decisions, diagnosis, script with
/// its check report, rollback and verification, email, summary, action items, error, usage.
void print_task(std::ostream& out, const coordinator::TaskSnapshot& task);

/// What a human approves at the task's gate: at plan_review the risk, its reasons, the plan (and
/// the diagnosis when it is attached); at script_review the script, its findings and rollback.
void print_gate(std::ostream& out, const coordinator::TaskSnapshot& task);

/// "ID  STATUS  STAGE  RISK  CREATED  REQUEST" with the request cut to fit one line.
void print_task_line(std::ostream& out, const coordinator::TaskSnapshot& task);

/// What to do next with a task that is not final ("opsgraph approve ID ..."), or nothing.
void print_next_step(std::ostream& out, const coordinator::TaskSnapshot& task);

}  // namespace opsgraph::cli
