#include "task_printer.hpp"

#include <cstdio>
#include <opsgraph/core/clock.hpp>
#include <opsgraph/core/json_codec.hpp>
#include <string>
#include <string_view>

#include "output.hpp"

namespace opsgraph::cli {
namespace {

using coordinator::Stage;
using coordinator::TaskSnapshot;
using coordinator::TaskStatus;

template <class Enum>
std::string name_of(Enum value) {
  return std::string(json::enum_name(value));
}

std::string fixed(double value, int decimals = 2) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

std::string level_with_score(router::Level level, double score) {
  return name_of(level) + " (" + fixed(score) + ")";
}

void heading(std::ostream& out, std::string_view title, std::string_view note = {}) {
  out << '\n' << "== " << title;
  if (!note.empty())
    out << "  (" << note << ')';
  out << " ==\n";
}

// Code is printed flush left between two rules, so it can be copied as it is.
void code_block(std::ostream& out, const std::string& code) {
  out << "----8<----\n" << code;
  if (!code.empty() && code.back() != '\n')
    out << '\n';
  out << "---->8----\n";
}

void bullets(std::ostream& out, const std::vector<std::string>& items, std::string_view indent) {
  for (const std::string& item : items)
    out << indent << "- " << item << '\n';
}

void print_header(std::ostream& out, const TaskSnapshot& task) {
  out << text_row("task", task.task_id) << '\n'
      << text_row("status", name_of(task.status) + " (stage " + name_of(task.stage) + ")") << '\n'
      << text_row("request", task.request) << '\n';
  if (!task.requester.empty())
    out << text_row("requester", task.requester) << '\n';
  out << text_row("created", format_timestamp(task.created_at)) << '\n';
}

void print_risk(std::ostream& out, const TaskSnapshot& task) {
  out << text_row("risk", level_with_score(task.risk.level, task.risk.score) +
                              (task.route.requires_approval ? ", approval required"
                                                            : ", no approval required"))
      << '\n';
  for (const router::Reason& reason : task.risk.reasons)
    out << "  - " << reason.rule << ": " << reason.detail << '\n';
  std::string agents;
  for (router::Agent agent : task.route.required_agents)
    agents += (agents.empty() ? "" : ", ") + name_of(agent);
  out << text_row("route",
                  task.route.category + "; agents " + (agents.empty() ? "-" : agents) +
                      "; complexity " +
                      level_with_score(task.route.complexity.level, task.route.complexity.score))
      << '\n';
  if (task.injection_suspected)
    out << text_row("warning", "the request tried to instruct the router (injection suspected)")
        << '\n';
}

void print_plan(std::ostream& out, const agents::Plan& plan) {
  heading(out, "Plan", plan.hash);
  if (!plan.step_details.empty()) {
    for (const agents::PlanStep& step : plan.step_details) {
      out << "  " << step.step_number << ". [" << name_of(step.agent) << "] " << step.description;
      if (!step.depends_on.empty()) {
        std::string after;
        for (int n : step.depends_on)
          after += (after.empty() ? "" : ", ") + std::to_string(n);
        out << "  (after " << after << ')';
      }
      out << '\n';
    }
  } else {
    for (std::size_t i = 0; i < plan.steps.size(); ++i)
      out << "  " << i + 1 << ". " << plan.steps[i] << '\n';
  }
  if (!plan.summary.empty())
    out << text_row("summary", plan.summary) << '\n';
}

void print_approvals(std::ostream& out, const TaskSnapshot& task) {
  if (task.approvals.empty())
    return;
  heading(out, "Decisions");
  for (const coordinator::Approval& approval : task.approvals) {
    out << "  - " << name_of(approval.gate) << ": " << name_of(approval.decision) << " by "
        << approval.actor << " at " << format_timestamp(approval.at);
    if (!approval.comment.empty())
      out << " (" << approval.comment << ')';
    out << '\n';
  }
}

void print_diagnosis(std::ostream& out, const agents::Diagnosis& diagnosis) {
  heading(out, "Diagnosis", "confidence " + fixed(diagnosis.confidence));
  out << text_row("problem", diagnosis.problem) << '\n'
      << text_row("identified", diagnosis.problem_identified ? "yes" : "no") << '\n'
      << text_row("root cause", diagnosis.root_cause) << '\n';
  if (!diagnosis.evidence.empty()) {
    out << "evidence\n";
    bullets(out, diagnosis.evidence, "  ");
  }
  if (!diagnosis.solutions.empty())
    out << "solutions\n";
  for (std::size_t i = 0; i < diagnosis.solutions.size(); ++i) {
    const agents::Solution& solution = diagnosis.solutions[i];
    out << "  " << i + 1 << ". " << solution.title << "  (confidence "
        << name_of(solution.confidence) << ", " << fixed(solution.score) << ")\n";
    if (!solution.description.empty())
      out << "     " << solution.description << '\n';
    bullets(out, solution.steps, "     ");
  }
  if (!diagnosis.affected_components.empty()) {
    std::string components;
    for (const std::string& c : diagnosis.affected_components)
      components += (components.empty() ? "" : ", ") + c;
    out << text_row("affected", components) << '\n';
  }
}

void print_check(std::ostream& out, const safety::CheckReport& check) {
  const safety::SyntaxReport& syntax = check.syntax;
  out << text_row("syntax", std::string(syntax.ok ? "ok" : "failed") +
                                " (checker: " + syntax.checker +
                                (syntax.structural_only ? ", structure only: no parser" : "") + ")")
      << '\n';
  for (const safety::SyntaxError& error : syntax.errors)
    out << "  line " << error.line << ':' << error.column << ": " << error.message << '\n';
  out << text_row("lint", std::string(check.lint_passed() ? "passed" : "not passed") +
                              (check.lint_tool.empty() ? "" : " (" + check.lint_tool + ")"))
      << '\n'
      << text_row("findings", std::to_string(check.findings.size())) << '\n';
  for (const safety::Finding& finding : check.findings) {
    out << "  - " << to_string(finding.severity) << " line " << finding.line << " [" << finding.rule
        << "] " << finding.message << '\n';
    if (!finding.excerpt.empty())
      out << "      " << finding.excerpt << '\n';
  }
}

void print_script(std::ostream& out, const agents::Script& script) {
  heading(out, "Script",
          std::string(to_string(script.draft.language)) + ", attempt " +
              std::to_string(script.attempts) + ", " + script.hash);
  code_block(out, script.draft.code);
  print_check(out, script.check);
  out << text_row("elevation", script.draft.requires_elevation ? "required" : "not required")
      << '\n';
  heading(out, "Rollback");
  if (script.draft.rollback_code)
    code_block(out, *script.draft.rollback_code);
  else
    out << "(none: the script changes nothing that needs undoing, or cannot be undone)\n";
  if (!script.draft.verification_steps.empty()) {
    heading(out, "Verification");
    bullets(out, script.draft.verification_steps, "  ");
  }
}

void print_documents(std::ostream& out, const TaskSnapshot& task) {
  if (task.email_draft) {
    heading(out, "Email");
    out << *task.email_draft;
    if (!task.email_draft->empty() && task.email_draft->back() != '\n')
      out << '\n';
  }
  if (!task.summary.empty()) {
    heading(out, "Summary");
    out << task.summary << '\n';
  }
  if (!task.action_items.empty()) {
    heading(out, "Action items");
    for (const agents::ActionItem& item : task.action_items) {
      out << "  - [" << name_of(item.priority) << "] " << item.description << " (owner "
          << (item.owner.empty() ? "-" : item.owner);
      if (!item.due.empty())
        out << ", due " << item.due;
      out << ")\n";
    }
  }
}

void print_footer(std::ostream& out, const TaskSnapshot& task) {
  if (task.error) {
    heading(out, "Error");
    out << text_row("code", task.error->code) << '\n'
        << text_row("message", task.error->message) << '\n';
    if (!task.error->node.empty())
      out << text_row("node",
                      task.error->node + " (attempts " + std::to_string(task.error->attempts) + ")")
          << '\n';
  }
  out << '\n'
      << text_row("usage", std::to_string(task.usage.llm_calls) + " LLM calls, " +
                               std::to_string(task.usage.prompt_tokens) + " prompt + " +
                               std::to_string(task.usage.completion_tokens) +
                               " completion tokens, " + fixed(task.usage.llm_seconds) +
                               " s waiting for the LLM")
      << '\n'
      << text_row("duration", fixed(task.duration_seconds) + " s") << '\n';
}

}  // namespace

void print_task(std::ostream& out, const TaskSnapshot& task) {
  print_header(out, task);
  print_risk(out, task);
  if (task.plan)
    print_plan(out, *task.plan);
  print_approvals(out, task);
  if (task.diagnosis)
    print_diagnosis(out, *task.diagnosis);
  if (task.script)
    print_script(out, *task.script);
  else if (!task.automation_note.empty())
    out << '\n' << text_row("no script", task.automation_note) << '\n';
  print_documents(out, task);
  print_footer(out, task);
}

void print_gate(std::ostream& out, const TaskSnapshot& task) {
  print_header(out, task);
  print_risk(out, task);
  if (task.stage == Stage::script_review && task.script) {
    out << "\nThe generated script has findings that need a human decision.\n";
    print_script(out, *task.script);
    return;
  }
  if (task.plan)
    print_plan(out, *task.plan);
  if (task.diagnosis)
    print_diagnosis(out, *task.diagnosis);
}

void print_task_line(std::ostream& out, const TaskSnapshot& task) {
  constexpr std::size_t kRequestWidth = 60;
  std::string request = task.request.substr(0, kRequestWidth);
  for (char& c : request) {
    if (c == '\n' || c == '\t')
      c = ' ';
  }
  if (task.request.size() > kRequestWidth)
    request += "...";
  char line[256];
  std::snprintf(line, sizeof line, "%-36s  %-16s  %-13s  %-6s  %s  ", task.task_id.c_str(),
                name_of(task.status).c_str(), name_of(task.stage).c_str(),
                name_of(task.risk.level).c_str(), format_timestamp(task.created_at).c_str());
  out << line << request << '\n';
}

void print_next_step(std::ostream& out, const TaskSnapshot& task) {
  switch (task.status) {
    case TaskStatus::waiting_approval:
      out << "\nWaiting for approval at " << name_of(task.stage) << ". Decide with:\n"
          << "  opsgraph approve " << task.task_id;
      if (task.stage == Stage::script_review && task.script)
        out << " --hash " << task.script->hash;
      out << "\n  opsgraph reject " << task.task_id << " --reason \"...\"\n";
      break;
    case TaskStatus::failed:
      out << "\nThe task failed. Continue it from its last finished step with:\n"
          << "  opsgraph retry " << task.task_id << '\n';
      break;
    case TaskStatus::queued:
    case TaskStatus::in_progress:
      out << "\nStill running. Follow it with: opsgraph status " << task.task_id << " --wait\n";
      break;
    default:
      break;
  }
}

}  // namespace opsgraph::cli
