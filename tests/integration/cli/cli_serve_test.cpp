// `opsgraph keys` and `opsgraph serve` / `opsgraphd` as operators run them: the real binaries on a
// SQLite file, the mock LLM server with the demo's answers, a real HTTP client, and SIGTERM.

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <memory>
#include <opsgraph/core/json.hpp>
#include <opsgraph/mock/llm_server.hpp>
#include <opsgraph/mock/rules.hpp>
#include <string>
#include <vector>

#include "cli_process.hpp"
#include "support/child_process.hpp"
#include "support/http_client.hpp"
#include "support/temp_dir.hpp"

namespace opsgraph {
namespace {

using namespace std::chrono_literals;

constexpr const char* kCpuRequest =
    "Diagnose why Windows Server 2019 VM cpu01 hits 95%+ CPU, generate a PowerShell script to "
    "collect perfmon logs, and draft an email to management summarising findings.";

std::string text_of(const json::Value& value, std::string_view member) {
  const auto* found = value.find(member);
  return found != nullptr && found->is_string() ? *found->if_string() : std::string();
}

class CliServe : public ::testing::Test {
 protected:
  void SetUp() override {
    auto started = mock::MockLlmServer::start(mock::ServerOptions{});
    ASSERT_TRUE(started) << started.error().message;
    llm_ = std::move(started).value();
    auto rules = mock::load_rules_file(OPSGRAPH_DEMO_RULES);
    ASSERT_TRUE(rules) << rules.error().message;
    ASSERT_TRUE(llm_->add_rules(std::move(rules).value()));
    db_ = dir_.file("opsgraph.db");
  }

  testing::ProcessResult keys(std::vector<std::string> args) {
    args.insert(args.begin(), "keys");
    args.insert(args.end(), {"--store", db_});
    return testing::run_process(OPSGRAPH_CLI_PATH, args);
  }

  /// A new key's secret, made through the CLI.
  std::string make_key(const std::string& role) {
    auto made = keys({"create", "--name", "test " + role, "--role", role, "--json"});
    EXPECT_EQ(made.exit_code, 0) << made.err;
    auto parsed = json::parse(made.out);
    return parsed ? text_of(parsed.value(), "secret") : std::string();
  }

  /// Starts `program` serving the test's store on a free port; returns the port (0 on failure).
  std::uint16_t serve(const std::string& program, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"--store", db_, "--port", "0", "--llm-url", llm_->base_url()};
    if (program == OPSGRAPH_CLI_PATH)
      args.insert(args.begin(), "serve");
    args.insert(args.end(), extra.begin(), extra.end());
    auto spawned = testing::ChildProcess::spawn(program, args);
    if (!spawned)
      return 0;
    server_.emplace(std::move(*spawned));
    auto line = server_->read_line(30s);
    EXPECT_TRUE(line) << "no start line";
    if (!line)
      return 0;
    first_line_ = *line;
    const auto colon = line->find("127.0.0.1:");
    EXPECT_NE(colon, std::string::npos) << *line;
    return colon == std::string::npos
               ? 0
               : static_cast<std::uint16_t>(std::stoi(line->substr(colon + 10)));
  }

  opsgraph::testing::TempDir dir_;
  std::string db_;
  std::unique_ptr<mock::MockLlmServer> llm_;
  std::optional<testing::ChildProcess> server_;
  std::string first_line_;
};

TEST_F(CliServe, KeysAreCreatedListedAndRevokedOnTheStore) {
  auto made =
      keys({"create", "--name", "ci", "--role", "operator", "--actor", "ops-alice", "--json"});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  auto key = json::parse(made.out);
  ASSERT_TRUE(key) << made.out;
  EXPECT_TRUE(text_of(key.value(), "secret").starts_with("og_"));
  EXPECT_EQ(text_of(key.value(), "created_by"), "ops-alice");
  const auto id = text_of(key.value(), "id");

  auto listed = keys({"list", "--json"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_NE(listed.out.find(id), std::string::npos);
  EXPECT_EQ(listed.out.find(text_of(key.value(), "secret")), std::string::npos);

  auto revoked = keys({"revoke", id, "--actor", "ops-bob"});
  EXPECT_EQ(revoked.exit_code, 0) << revoked.err;
  EXPECT_NE(revoked.out.find("by ops-bob"), std::string::npos) << revoked.out;
  EXPECT_NE(keys({"list"}).out.find("(revoked)"), std::string::npos);
  EXPECT_EQ(keys({"revoke", "key_unknown"}).exit_code, 3);
  EXPECT_EQ(keys({"create", "--name", "x", "--role", "root"}).exit_code, 2);
}

TEST_F(CliServe, ServeRunsTasksOverHttpAndStopsCleanlyOnSigterm) {
  const auto secret = make_key("operator");
  const auto port = serve(OPSGRAPH_CLI_PATH);
  ASSERT_NE(port, 0);
  EXPECT_NE(first_line_.find("running tasks"), std::string::npos) << first_line_;
  opsgraph::testing::HttpClient client(port);
  const opsgraph::testing::Headers auth{{"Authorization", "Bearer " + secret}};
  auto done = client.request("POST", "/api/v1/execute?wait=60",
                             json::dump(json::Object{{"request", kCpuRequest}}), auth);
  ASSERT_EQ(done.status, 200u) << done.body;
  EXPECT_EQ(text_of(done.json(), "status"), "completed");
  auto metrics = client.get("/metrics");
  EXPECT_NE(metrics.body.find("opsgraph_llm_"), std::string::npos)
      << "the provider registers its metrics with the service's registry";

  server_->kill(SIGTERM);
  const int status = server_->wait();
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  auto listed = keys({"list", "--json"});
  EXPECT_EQ(listed.exit_code, 0) << "the store is left usable";
}

TEST_F(CliServe, OpsgraphdWithoutAWorkerOnlyRecordsAndHintsAtTheFirstKey) {
  const auto port = serve(OPSGRAPHD_PATH, {"--no-worker"});
  ASSERT_NE(port, 0);
  EXPECT_NE(first_line_.find("API only"), std::string::npos) << first_line_;
  auto hint = server_->read_line(5s);
  ASSERT_TRUE(hint);
  EXPECT_NE(hint->find("opsgraph keys create"), std::string::npos) << *hint;
  const auto secret = make_key("operator");
  opsgraph::testing::HttpClient client(port);
  auto queued = client.request("POST", "/api/v1/execute?wait=1",
                               json::dump(json::Object{{"request", kCpuRequest}}),
                               {{"Authorization", "Bearer " + secret}});
  ASSERT_EQ(queued.status, 202u) << queued.body;
  EXPECT_EQ(text_of(queued.json(), "status"), "queued") << "no worker runs it here";
  server_->kill(SIGTERM);
  const int status = server_->wait();
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

}  // namespace
}  // namespace opsgraph
