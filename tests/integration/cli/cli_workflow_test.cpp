// `opsgraph run|status|list|approve|reject` as operators use them: the real binary, a SQLite file
// in a temporary directory, and the mock LLM server loaded with the demo's scripted answers.

#include <gtest/gtest.h>

#include <memory>
#include <opsgraph/core/json.hpp>
#include <opsgraph/mock/llm_server.hpp>
#include <opsgraph/mock/rules.hpp>
#include <string>
#include <vector>

#include "cli_process.hpp"
#include "support/temp_dir.hpp"

namespace opsgraph {
namespace {

constexpr const char* kCpuRequest =
    "Diagnose why Windows Server 2019 VM cpu01 hits 95%+ CPU, generate a PowerShell script to "
    "collect perfmon logs, and draft an email to management summarising findings.";
constexpr const char* kRdpRequest =
    "Create Azure CLI commands to lock RDP (3389) on my three production VMs to 10.0.0.0/24 and "
    "pause for approval before outputting the commands.";

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The process environment, less anything that would point the CLI at a real LLM or store.
testing::ProcessOptions isolated() {
  testing::ProcessOptions options;
  for (const char* name : {"OPENAI_API_KEY", "OPENAI_BASE_URL", "OPSGRAPH_LLM_BASE_URL",
                           "OPSGRAPH_LLM_MODEL", "OPSGRAPH_STORE", "OPSGRAPH_CONFIG"})
    options.env[name] = std::nullopt;
  options.env["USER"] = "tester";
  return options;
}

class CliWorkflow : public ::testing::Test {
 protected:
  void SetUp() override {
    auto started = mock::MockLlmServer::start(mock::ServerOptions{});
    ASSERT_TRUE(started) << started.error().message;
    server_ = std::move(started).value();
    auto rules = mock::load_rules_file(OPSGRAPH_DEMO_RULES);
    ASSERT_TRUE(rules) << rules.error().message;
    auto added = server_->add_rules(std::move(rules).value());
    ASSERT_TRUE(added) << added.error().message;
    db_ = dir_.file("opsgraph.db");
  }

  /// The CLI with `args`, then the store and LLM options of the test.
  testing::ProcessResult cli(std::vector<std::string> args) {
    args.insert(args.end(), {"--db", db_, "--llm-url", server_->base_url()});
    return testing::run_process(OPSGRAPH_CLI_PATH, args, isolated());
  }

  /// The id on the "task" line of a text rendering.
  static std::string task_id_of(const std::string& output) {
    const std::string label = "\ntask        ";
    const auto at = output.find(label);
    if (at == std::string::npos)
      return "";
    const auto start = at + label.size();
    return output.substr(start, output.find('\n', start) - start);
  }

  /// The task's record through `status --json`.
  json::Value status_of(const std::string& id) {
    const auto run = cli({"status", "--json", id});
    EXPECT_EQ(run.exit_code, 0) << run.err;
    auto parsed = json::parse(run.out);
    EXPECT_TRUE(parsed) << run.out;
    return parsed ? std::move(parsed).value() : json::Value();
  }

  static std::string text_at(const json::Value& value, std::string_view key) {
    const json::Value* member = value.find(key);
    return member && member->if_string() ? *member->if_string() : "";
  }

  /// Runs the RDP request, which the policy holds at the plan gate; returns the task id.
  std::string waiting_rdp_task() {
    const auto run = cli({"run", kRdpRequest});
    EXPECT_EQ(run.exit_code, 4) << run.out << run.err;
    const std::string id = task_id_of(run.out);
    EXPECT_FALSE(id.empty()) << run.out;
    return id;
  }

  opsgraph::testing::TempDir dir_;
  std::string db_;
  std::unique_ptr<mock::MockLlmServer> server_;
};

TEST_F(CliWorkflow, RunsTheCpuRequestToCompletion) {
  const auto run = cli({"run", kCpuRequest});
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_TRUE(contains(run.out, "status      completed")) << run.out;
  EXPECT_TRUE(contains(run.out, "root cause  Most likely Windows background work")) << run.out;
  EXPECT_TRUE(contains(run.out, "Subject: cpu01 high CPU")) << run.out;
  EXPECT_TRUE(contains(run.out, "== Script  (powershell")) << run.out;
  EXPECT_TRUE(contains(run.out, "Collects CPU performance data on this server")) << run.out;
  EXPECT_TRUE(contains(run.out, "== Rollback ==")) << run.out;
  EXPECT_TRUE(contains(run.out, "lint        passed")) << run.out;
  // Progress lines arrive while it runs, and contain no terminal control sequences in a pipe.
  EXPECT_TRUE(contains(run.out, "plan ready: 3 steps")) << run.out;
  EXPECT_FALSE(contains(run.out, "\033[")) << run.out;
}

TEST_F(CliWorkflow, PolicyHoldsTheRdpChangeUntilApproveResumesItInAnotherProcess) {
  const auto run = cli({"run", "--require-approval=false", kRdpRequest});
  ASSERT_EQ(run.exit_code, 4) << run.out << run.err;
  const std::string id = task_id_of(run.out);
  ASSERT_FALSE(id.empty()) << run.out;
  EXPECT_TRUE(contains(run.out, "status      waiting_approval (stage plan_review)")) << run.out;
  EXPECT_TRUE(contains(run.out, "risk        high")) << run.out;
  EXPECT_TRUE(contains(run.out, "  - production_network_change: ")) << run.out;
  EXPECT_TRUE(contains(run.out, "== Plan")) << run.out;
  EXPECT_TRUE(contains(run.out, "opsgraph approve " + id)) << run.out;
  EXPECT_FALSE(contains(run.out, "az network nsg rule")) << "no commands before approval";

  const auto approved = cli({"approve", id, "--comment", "change window"});
  ASSERT_EQ(approved.exit_code, 0) << approved.out << approved.err;
  EXPECT_TRUE(contains(approved.out, "status      completed")) << approved.out;
  EXPECT_TRUE(contains(approved.out, "az network nsg rule create")) << approved.out;
  EXPECT_TRUE(contains(approved.out, "== Rollback ==")) << approved.out;
  EXPECT_TRUE(contains(approved.out, "Reverts the RDP restriction")) << approved.out;
  EXPECT_TRUE(contains(approved.out, "plan_review: approved by tester")) << approved.out;

  const json::Value task = status_of(id);
  EXPECT_EQ(text_at(task, "status"), "completed");
  const json::Value* script = task.find("script");
  ASSERT_TRUE(script && script->is_object());
  EXPECT_EQ(text_at(*script, "language"), "azurecli");
}

TEST_F(CliWorkflow, ApproveWithoutWaitingOnlyRecordsTheDecision) {
  const std::string id = waiting_rdp_task();
  const auto calls_before = server_->stats().total_requests;
  const auto approved = cli({"approve", "--no-wait", id});
  ASSERT_EQ(approved.exit_code, 0) << approved.out << approved.err;
  EXPECT_TRUE(contains(approved.out, "status      queued")) << approved.out;
  EXPECT_EQ(server_->stats().total_requests, calls_before) << "the approving process ran nothing";
  EXPECT_EQ(text_at(status_of(id), "status"), "queued");

  const auto finished = cli({"status", "--wait", id});
  ASSERT_EQ(finished.exit_code, 0) << finished.out << finished.err;
  EXPECT_EQ(text_at(status_of(id), "status"), "completed");
}

TEST_F(CliWorkflow, RejectEndsAWaitingTask) {
  const std::string id = waiting_rdp_task();
  const auto rejected = cli({"reject", id, "--reason", "not in a change window"});
  ASSERT_EQ(rejected.exit_code, 0) << rejected.out << rejected.err;
  EXPECT_TRUE(contains(rejected.out, "status      rejected")) << rejected.out;
  EXPECT_EQ(text_at(status_of(id), "status"), "rejected");
  // Approving a rejected gate is a conflict, reported as an error.
  const auto late = cli({"approve", id});
  EXPECT_EQ(late.exit_code, 3) << late.out << late.err;
}

TEST_F(CliWorkflow, FlagsDecideAtTheGateWithoutATerminal) {
  const auto approved = cli({"run", "--approve", kRdpRequest});
  ASSERT_EQ(approved.exit_code, 0) << approved.out << approved.err;
  EXPECT_TRUE(contains(approved.out, "az network nsg rule create")) << approved.out;

  const auto rejected = cli({"run", "--reject=too risky today", kRdpRequest});
  EXPECT_EQ(rejected.exit_code, 6) << rejected.out << rejected.err;
  EXPECT_TRUE(contains(rejected.out, "status      rejected")) << rejected.out;
  EXPECT_TRUE(contains(rejected.out, "too risky today")) << rejected.out;
}

TEST_F(CliWorkflow, AFailedTaskExitsFiveAndRetryFinishesIt) {
  // The writer's calls are refused (a 400 is not retried), then answered again.
  server_->clear_rules();
  mock::Rule refuse;
  refuse.name = "writer refused";
  refuse.match.system_contains = "You are the opsgraph writer.";
  mock::RuleResponse response;
  auto fault = mock::parse_fault("400");
  ASSERT_TRUE(fault) << fault.error().message;
  response.fault = fault.value();
  refuse.responses.push_back(std::move(response));
  ASSERT_TRUE(server_->add_rule(std::move(refuse)));
  auto rules = mock::load_rules_file(OPSGRAPH_DEMO_RULES);
  ASSERT_TRUE(rules && server_->add_rules(std::move(rules).value()));

  const auto failed = cli({"run", kCpuRequest});
  ASSERT_EQ(failed.exit_code, 5) << failed.out << failed.err;
  EXPECT_TRUE(contains(failed.out, "status      failed")) << failed.out;
  EXPECT_TRUE(contains(failed.out, "== Error ==")) << failed.out;
  const std::string id = task_id_of(failed.out);
  EXPECT_TRUE(contains(failed.out, "opsgraph retry " + id)) << failed.out;

  server_->clear_rules();
  auto again = mock::load_rules_file(OPSGRAPH_DEMO_RULES);
  ASSERT_TRUE(again && server_->add_rules(std::move(again).value()));
  const auto retried = cli({"retry", id});
  ASSERT_EQ(retried.exit_code, 0) << retried.out << retried.err;
  EXPECT_TRUE(contains(retried.out, "status      completed")) << retried.out;
  EXPECT_TRUE(contains(retried.out, "Subject: cpu01 high CPU")) << retried.out;
}

TEST_F(CliWorkflow, JsonOutputIsTheTaskRecord) {
  const auto run = cli({"run", "--json", kRdpRequest});
  ASSERT_EQ(run.exit_code, 4) << run.out << run.err;
  auto parsed = json::parse(run.out);
  ASSERT_TRUE(parsed) << run.out;
  EXPECT_EQ(text_at(parsed.value(), "status"), "waiting_approval");
  EXPECT_EQ(text_at(parsed.value(), "stage"), "plan_review");
  const json::Value* plan = parsed.value().find("plan");
  ASSERT_TRUE(plan && plan->is_object());
  EXPECT_TRUE(contains(text_at(*plan, "hash"), "sha256:"));
}

TEST_F(CliWorkflow, ListsTasksNewestFirst) {
  const auto first = cli({"run", kCpuRequest});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  const std::string waiting = waiting_rdp_task();

  const auto text = cli({"list"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_TRUE(contains(text.out, task_id_of(first.out))) << text.out;
  EXPECT_LT(text.out.find(waiting), text.out.find(task_id_of(first.out))) << text.out;

  const auto only_waiting = cli({"list", "--json", "--status", "waiting_approval"});
  ASSERT_EQ(only_waiting.exit_code, 0) << only_waiting.err;
  auto parsed = json::parse(only_waiting.out);
  ASSERT_TRUE(parsed) << only_waiting.out;
  const json::Value* tasks = parsed.value().find("tasks");
  ASSERT_TRUE(tasks && tasks->if_array());
  ASSERT_EQ(tasks->if_array()->size(), 1u);
  EXPECT_EQ(text_at(tasks->if_array()->front(), "task_id"), waiting);
}

TEST_F(CliWorkflow, WithoutAnLlmItSaysHowToConfigureOne) {
  const auto run =
      testing::run_process(OPSGRAPH_CLI_PATH, {"run", "--db", db_, kCpuRequest}, isolated());
  EXPECT_EQ(run.exit_code, 3) << run.out << run.err;
  EXPECT_TRUE(contains(run.err, "no LLM configured")) << run.err;
  EXPECT_TRUE(contains(run.err, "OPENAI_API_KEY")) << run.err;
  EXPECT_TRUE(contains(run.err, "--llm-url")) << run.err;
  EXPECT_TRUE(contains(run.err, "opsgraph-mock-llm")) << run.err;
  // Reading the store needs no LLM.
  const auto list = testing::run_process(OPSGRAPH_CLI_PATH, {"list", "--db", db_}, isolated());
  EXPECT_EQ(list.exit_code, 0) << list.err;
}

TEST_F(CliWorkflow, BadCommandLinesAreUsageErrorsAndUnknownTasksErrors) {
  EXPECT_EQ(cli({"run", "--no-such-flag", kCpuRequest}).exit_code, 2);
  EXPECT_EQ(cli({"run", "--approve", "--reject", kCpuRequest}).exit_code, 2);
  EXPECT_EQ(cli({"run"}).exit_code, 2);
  EXPECT_EQ(cli({"approve"}).exit_code, 2);
  EXPECT_EQ(cli({"list", "--limit", "0"}).exit_code, 2);
  const auto unknown = cli({"status", "--json", "01a2aaaa-0000-7000-8000-000000000000"});
  EXPECT_EQ(unknown.exit_code, 3) << unknown.out;
  EXPECT_TRUE(contains(unknown.out, "\"not_found\"")) << unknown.out;
  EXPECT_EQ(cli({"run", "--context", "[1, 2]", kCpuRequest}).exit_code, 3);
}

}  // namespace
}  // namespace opsgraph
