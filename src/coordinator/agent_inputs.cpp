#include "agent_inputs.hpp"

#include <opsgraph/core/json_codec.hpp>
#include <opsgraph/core/json_writer.hpp>

namespace opsgraph::coordinator::detail {
namespace {

// Room for a typical input, so that writing one rarely grows the buffer.
constexpr std::size_t kInputBytes = 4096;

// Each input is an object written straight to text: no json::Value is built to be dumped.
class Input {
 public:
  explicit Input(const TaskState& state) : writer_(kInputBytes) {
    writer_.begin_object()
        .key("request")
        .string(state.task.request)
        .key("context")
        .value(state.task.context);
  }

  json::Writer& writer() { return writer_; }

  template <class T>
  void member(std::string_view name, const T& value) {
    writer_.key(name);
    json::write(writer_, value);
  }

  void plan(const TaskState& state) {
    writer_.key("plan");
    const auto& plan = state.task.plan;
    if (!plan) {
      writer_.null();
      return;
    }
    writer_.begin_object();
    member("steps", plan->steps);
    member("step_details", plan->step_details);
    member("summary", plan->summary);
    writer_.end_object();
  }

  agents::InputText done() {
    writer_.end_object();
    return agents::InputText{writer_.take()};
  }

 private:
  json::Writer writer_;
};

}  // namespace

agents::InputText planner_input(const TaskState& state) {
  const auto& d = state.decision;
  Input input(state);
  input.writer().key("rules").begin_object();
  input.member("category", d.route.category);
  input.member("required_agents", d.route.required_agents);
  input.member("risk", d.risk);
  input.member("requires_approval", d.route.requires_approval);
  input.member("language", d.language);
  input.member("exclusions", d.exclusions);
  input.writer().end_object();
  return input.done();
}

agents::InputText diagnostic_input(const TaskState& state) {
  Input input(state);
  input.plan(state);
  return input.done();
}

agents::InputText automation_input(const TaskState& state) {
  Input input(state);
  input.member("language", state.decision.language);
  input.plan(state);
  input.member("diagnosis", state.task.diagnosis);
  if (!state.feedback.empty()) {
    auto& findings = input.writer().key("feedback").begin_array();
    for (const auto& f : state.feedback) {
      findings.begin_object().key("rule").string(f.rule).key("severity");
      json::write(findings, f.severity);
      findings.key("line");
      json::write(findings, f.line);
      findings.key("message").string(f.message).end_object();
    }
    findings.end_array();
  }
  return input.done();
}

agents::InputText writer_input(const TaskState& state) {
  Input input(state);
  input.plan(state);
  input.member("diagnosis", state.task.diagnosis);
  auto& script = input.writer().key("script");
  if (const auto& s = state.task.script) {
    script.begin_object();
    input.member("language", s->draft.language);
    input.member("code", s->draft.code);
    input.member("rollback_code", s->draft.rollback_code);
    input.member("lint_passed", s->check.lint_passed());
    input.member("findings", s->check.findings);
    script.end_object();
  } else {
    script.null();
  }
  input.member("automation_note", state.task.automation_note);
  input.member("exclusions", state.decision.exclusions);
  return input.done();
}

agents::CallLabels call_labels(const TaskState& state, const graph::NodeContext& ctx) {
  return {{"task_id", state.task.task_id}, {"node", std::string(ctx.node())}};
}

}  // namespace opsgraph::coordinator::detail
