// own_provider: the whole IT workflow with a model of your own behind opsgraph's Provider
// interface — here a canned one, so the example runs anywhere; yours would call your model.
// It submits a risky request, approves its plan the way an operator would, and prints the result.
//
//   own_provider
// Exit 0 when the task completes.

#include <iostream>
#include <opsgraph/core/json_codec.hpp>
#include <opsgraph/engine/engine.hpp>
#include <opsgraph/store/memory_store.hpp>
#include <string>

namespace {

using namespace opsgraph;
using namespace std::chrono_literals;

// Each built-in agent's system prompt names it; a real provider would send the whole request to
// a model and return its answer, which opsgraph validates against the agent's schema.
constexpr const char* kPlan = R"({
  "analysis": {"category": "network", "required_agents": ["diagnostic", "automation", "writer"],
               "complexity": {"level": "medium", "score": 0.5}, "risk_level": "high",
               "risk_score": 0.8, "reasons": [{"rule": "llm_analysis", "detail": "firewall change"}],
               "requires_approval": true, "language": "bash"},
  "plan": {"steps": ["Check the current rules", "Write the rule change", "Notify the team"],
           "step_details": [
             {"step_number": 1, "agent": "diagnostic", "description": "Check the current rules", "depends_on": []},
             {"step_number": 2, "agent": "automation", "description": "Write the rule change", "depends_on": [1]},
             {"step_number": 3, "agent": "writer", "description": "Notify the team", "depends_on": [2]}],
           "summary": "Close SSH to the world on web01, keep it open to the admin network."}})";
constexpr const char* kDiagnosis = R"({
  "problem": "SSH on web01 is open to 0.0.0.0/0", "problem_identified": true,
  "root_cause": "A temporary rule from the migration was never removed",
  "evidence": ["ufw status lists 22/tcp ALLOW Anywhere"],
  "solutions": [{"title": "Restrict SSH to 10.0.0.0/24", "description": "Replace the rule",
                 "steps": ["ufw allow from 10.0.0.0/24 to any port 22", "ufw delete allow 22/tcp"],
                 "confidence": "high", "score": 0.9}],
  "confidence": 0.9, "affected_components": ["web01"]})";
constexpr const char* kScript = R"({
  "language": "bash",
  "code": "#!/usr/bin/env bash\nset -euo pipefail\nufw allow from 10.0.0.0/24 to any port 22 proto tcp\nufw delete allow 22/tcp\nufw status numbered\n",
  "rollback_code": "#!/usr/bin/env bash\nset -euo pipefail\nufw allow 22/tcp\n",
  "verification_steps": ["ufw status shows 22/tcp allowed from 10.0.0.0/24 only"],
  "requires_elevation": true})";
constexpr const char* kDocuments = R"({
  "email": {"subject": "web01: SSH restricted to the admin network",
            "body": "Hello team,\n\nSSH on web01 now accepts 10.0.0.0/24 only."},
  "summary": "A leftover migration rule exposed SSH; it is replaced by an admin-only rule.",
  "report_markdown": "# web01 SSH exposure\n\nFixed by restricting port 22.",
  "action_items": [{"description": "Review other hosts for the same rule", "owner": "netops",
                    "due": "", "priority": "medium"}]})";

class CannedModel final : public llm::Provider {
 public:
  std::string_view name() const noexcept override { return "canned"; }

 private:
  Task<result<llm::ChatResponse>> do_chat(llm::ChatRequest request, llm::CallHooks) override {
    const std::string& system = request.messages.front().content;
    llm::ChatResponse response;
    response.finish_reason = "stop";
    response.model = "canned-1";
    if (system.find("opsgraph planner") != std::string::npos) {
      response.content = kPlan;
    } else if (system.find("opsgraph diagnostic") != std::string::npos) {
      response.content = kDiagnosis;
    } else if (system.find("opsgraph automation") != std::string::npos) {
      response.content = kScript;
    } else {
      response.content = kDocuments;
    }
    co_return response;
  }
};

}  // namespace

int main() {
  auto store = std::make_shared<store::MemoryStore>();
  engine::EngineOptions options;
  options.store = store;
  options.checkpointer = store;
  options.provider = std::make_shared<CannedModel>();
  options.logger = Logger::null();
  auto made = engine::Engine::create(std::move(options));
  if (!made) {
    std::cerr << "own_provider: " << made.error().message << '\n';
    return 1;
  }
  auto& engine = *made.value();

  engine::ExecuteRequest request;
  request.request = "Close SSH to the world on web01 but keep it open to 10.0.0.0/24";
  request.requester = "example";
  auto task = engine.execute(request);
  if (task)
    task = engine.wait(task.value().task_id, engine::WaitFor::settled, 30s);
  if (task && task.value().status == coordinator::TaskStatus::waiting_approval) {
    std::cout << "waiting for approval: " << task.value().plan->summary << "\n  risk "
              << json::encode(task.value().risk.level) << ", plan " << task.value().plan->hash
              << "\n";
    engine::ApproveRequest approve;
    approve.actor = "operator";
    approve.hash = task.value().plan->hash;
    task = engine.approve(task.value().task_id, approve);
    if (task)
      task = engine.wait(task.value().task_id, engine::WaitFor::final, 30s);
  }
  if (!task) {
    std::cerr << "own_provider: " << task.error().message << '\n';
    return 1;
  }
  const auto& done = task.value();
  std::cout << "status: " << json::encode(done.status) << "\nscript ("
            << done.script->check.syntax.checker << ", lint "
            << (done.script->check.lint_passed() ? "passed" : "failed") << "):\n"
            << done.script->draft.code << "rollback:\n"
            << done.script->draft.rollback_code.value_or("(none)") << "\n"
            << done.email_draft.value_or("(no email)") << "\n";
  return done.status == coordinator::TaskStatus::completed ? 0 : 1;
}
