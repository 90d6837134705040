// The AutomationGraph's nodes: draft a script, check it, and draft again with the findings as
// feedback while it fails and drafts remain.

#include <algorithm>
#include <opsgraph/agents/script.hpp>

#include "agent_inputs.hpp"
#include "workflow.hpp"

namespace opsgraph::coordinator::detail {
namespace {

bool has_agent(const router::RouteDecision& decision, router::Agent agent) {
  const auto& agents = decision.route.required_agents;
  return std::find(agents.begin(), agents.end(), agent) != agents.end();
}

bool declined_script(const router::RouteDecision& decision) {
  const auto& ex = decision.exclusions;
  return std::find(ex.begin(), ex.end(), router::Exclusion::script) != ex.end();
}

// Why no script is written for this task, or empty when one is.
std::string reason_to_skip(const TaskState& state, double min_confidence) {
  if (declined_script(state.decision))
    return "The request declined a script.";
  if (!has_agent(state.decision, router::Agent::automation))
    return "The plan needs no script.";
  const auto& diagnosis = state.task.diagnosis;
  if (!diagnosis || state.script_requested)
    return {};
  if (!diagnosis->problem_identified)
    return "No script was written: the diagnosis found no problem to act on.";
  if (diagnosis->confidence < min_confidence) {
    return "No script was written: the diagnosis is not confident enough (" +
           std::to_string(diagnosis->confidence) + ") to act on.";
  }
  return {};
}

// A draft in another language than the request or caller named is never approved silently.
std::optional<safety::Finding> language_mismatch(const TaskState& state,
                                                 const agents::ScriptDraft& draft) {
  const auto& wanted = state.decision.language;
  if (!wanted || *wanted == draft.language)
    return std::nullopt;
  safety::Finding finding;
  finding.rule = "language_mismatch";
  finding.category = "policy";
  finding.severity = safety::Severity::high;
  finding.line = 1;
  finding.column = 1;
  finding.message = "The request asked for " + std::string(safety::to_string(*wanted)) +
                    "; the script is " + std::string(safety::to_string(draft.language)) + ".";
  return finding;
}

// The syntax error as a finding, so the next draft is told about it like any other problem.
std::optional<safety::Finding> syntax_finding(const safety::CheckReport& report) {
  if (report.syntax.ok)
    return std::nullopt;
  safety::Finding finding;
  finding.rule = "syntax_error";
  finding.category = "syntax";
  finding.severity = safety::Severity::high;
  finding.message = "The script does not parse.";
  return finding;
}

}  // namespace

Task<result<void>> Workflow::draft_script(TaskState& state, graph::NodeContext& ctx) {
  if (auto reason = reason_to_skip(state, parts_.policy.min_diagnosis_confidence);
      !reason.empty()) {
    state.task.automation_note = std::move(reason);
    state.task.script.reset();
    co_return ok();
  }
  state.task.status = TaskStatus::in_progress;
  state.task.stage = Stage::automation;
  auto job = agents::ask_as<agents::ScriptDraft>(parts_.agents->automation, *parts_.provider,
                                                 automation_input(state), state.task.usage,
                                                 call_labels(state, ctx));
  auto draft = co_await std::move(job);
  if (!draft)
    co_return draft.error();
  agents::Script script;
  script.attempts = state.task.script ? state.task.script->attempts + 1 : 1;
  script.hash = agents::script_hash(draft.value());
  script.draft = std::move(draft).value();
  script.check.language = script.draft.language;
  state.task.script = std::move(script);
  co_return ok();
}

Task<result<void>> Workflow::check_script(TaskState& state, graph::NodeContext& ctx) {
  if (!state.task.script)
    co_return ok();
  auto& script = *state.task.script;
  state.task.stage = Stage::script_check;
  auto report = checks_.find(script.draft.language, script.draft.code);
  if (!report) {
    auto checker = parts_.checker;
    auto code = script.draft.code;
    auto language = script.draft.language;
    auto job =
        ctx.blocking().run([checker, code, language] { return checker->check(code, language); });
    auto checked = co_await std::move(job);
    if (!checked)
      co_return checked.error();
    checks_.store(code, checked.value());
    report = std::move(checked).value();
  }
  script.check = std::move(*report);
  if (auto mismatch = language_mismatch(state, script.draft))
    script.check.findings.insert(script.check.findings.begin(), std::move(*mismatch));

  state.feedback.clear();
  if (!script.check.lint_passed()) {
    if (auto syntax = syntax_finding(script.check))
      state.feedback.push_back(std::move(*syntax));
    for (const auto& finding : script.check.findings) {
      if (finding.severity >= safety::Severity::medium)
        state.feedback.push_back(finding);
    }
  }
  auto published = co_await parts_.journal->publish(state);
  co_return published;
}

bool Workflow::needs_redraft(const TaskState& state) const noexcept {
  const auto& script = state.task.script;
  return script && !script->check.lint_passed() &&
         script->attempts < parts_.policy.max_script_attempts;
}

}  // namespace opsgraph::coordinator::detail
