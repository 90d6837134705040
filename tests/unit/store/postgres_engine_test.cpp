// Engines on one PostgreSQL database: the config's "postgres" store, and two engines claiming
// from one queue with every task finishing exactly once.

#include <gtest/gtest.h>

#include <opsgraph/core/json.hpp>
#include <opsgraph/engine/config.hpp>
#include <opsgraph/engine/engine.hpp>
#include <string>
#include <thread>

#include "postgres_cluster.hpp"
#include "support/canned_answers.hpp"

namespace opsgraph::store::testing {
namespace {

using namespace std::chrono_literals;
namespace canned = opsgraph::testing::canned;

// Answers every agent from memory, by the marker its system prompt carries.
class CannedProvider final : public llm::Provider {
 public:
  std::string_view name() const noexcept override { return "canned"; }

 private:
  Task<result<llm::ChatResponse>> do_chat(llm::ChatRequest request, llm::CallHooks) override {
    const std::string& system = request.messages.front().content;
    llm::ChatResponse response;
    response.finish_reason = "stop";
    if (system.find("opsgraph planner") != std::string::npos) {
      response.content = std::string(canned::kPlan);
    } else if (system.find("opsgraph diagnostic") != std::string::npos) {
      response.content = std::string(canned::kDiagnosis);
    } else if (system.find("opsgraph automation") != std::string::npos) {
      response.content = std::string(canned::kPowerShellScript);
    } else {
      response.content = std::string(canned::kDocuments);
    }
    co_return response;
  }
};

std::unique_ptr<engine::Engine> engine_on(const std::string& dsn, const std::string& schema,
                                          const std::string& worker,
                                          std::chrono::milliseconds poll_interval = 20ms,
                                          bool run_tasks = true) {
  engine::EngineConfig config;
  config.store.kind = "postgres";
  config.store.dsn = dsn;
  config.store.schema = schema;
  auto options = engine::options_from(config, [](std::string_view) { return std::nullopt; });
  EXPECT_TRUE(options) << options.error().message;
  if (!options)
    return nullptr;
  options.value().provider = std::make_shared<CannedProvider>();
  options.value().worker_id = worker;
  options.value().poll_interval = poll_interval;
  options.value().run_tasks = run_tasks;
  options.value().logger = Logger::null();
  auto made = engine::Engine::create(std::move(options).value());
  EXPECT_TRUE(made) << made.error().message;
  return made ? std::move(made).value() : nullptr;
}

TEST(PostgresEngineTest, TwoEnginesOnOneDatabaseFinishEveryTaskOnce) {
  std::string why;
  auto dsn = shared_dsn(&why);
  ASSERT_TRUE(dsn) << why;
  const auto schema = fresh_schema();
  auto first = engine_on(*dsn, schema, "worker-a");
  auto second = engine_on(*dsn, schema, "worker-b");
  ASSERT_TRUE(first && second);

  constexpr int kTasks = 20;
  std::vector<std::string> ids;
  for (int i = 0; i < kTasks; ++i) {
    engine::ExecuteRequest request;
    request.request = "Diagnose why app" + std::to_string(i) +
                      " hits 95% CPU and give me a PowerShell script to collect perfmon logs";
    auto task = (i % 2 ? first : second)->execute(request);
    ASSERT_TRUE(task) << task.error().message;
    ids.push_back(task.value().task_id);
  }
  for (const auto& id : ids) {
    auto task = first->wait(id, engine::WaitFor::final, 60s);
    ASSERT_TRUE(task) << task.error().message;
    EXPECT_EQ(task.value().status, coordinator::TaskStatus::completed) << id;
    EXPECT_EQ(task.value().usage.llm_calls, 4) << "no step ran twice: " << id;
    auto events = first->events(id, 0, 1000);
    ASSERT_TRUE(events);
    int completed = 0;
    for (const auto& event : events.value()) {
      if (event.type == "status" && event.data.find("\"completed\"") != std::string::npos)
        ++completed;
    }
    EXPECT_EQ(completed, 1) << "the task ended exactly once: " << id;
  }
}

// An idle worker that polls only once a minute still picks up a task another process records
// at once: the store's LISTEN/NOTIFY wakes it (TaskStore::watch_work).
TEST(PostgresEngineTest, AnIdleWorkerIsWokenByAnotherProcessesTask) {
  std::string why;
  auto dsn = shared_dsn(&why);
  ASSERT_TRUE(dsn) << why;
  const auto schema = fresh_schema();
  auto worker = engine_on(*dsn, schema, "worker", /*poll_interval=*/60s);
  auto front = engine_on(*dsn, schema, "front", 60s, /*run_tasks=*/false);
  ASSERT_TRUE(worker && front);
  // Let the worker make its first claim attempt and go to sleep, its listener connected.
  std::this_thread::sleep_for(500ms);

  for (int round = 0; round < 3; ++round) {
    engine::ExecuteRequest request;
    request.request = "Diagnose why app0" + std::to_string(round) +
                      " hits 95% CPU and give me a PowerShell script to collect perfmon logs";
    const auto submitted_at = std::chrono::steady_clock::now();
    auto task = front->execute(request);
    ASSERT_TRUE(task) << task.error().message;
    auto done = front->wait(task.value().task_id, engine::WaitFor::final, 30s);
    ASSERT_TRUE(done) << done.error().message;
    EXPECT_EQ(done.value().status, coordinator::TaskStatus::completed);
    EXPECT_LT(std::chrono::steady_clock::now() - submitted_at, 30s)
        << "the worker waited for its poll instead of the notice";
  }
}

TEST(PostgresEngineTest, ConfigRefusesAPostgresStoreWithoutADsn) {
  auto config = engine::parse_config(R"({"store": {"kind": "postgres"}})", "c.json");
  ASSERT_FALSE(config);
  EXPECT_NE(config.error().message.find("store.dsn"), std::string::npos);
}

}  // namespace
}  // namespace opsgraph::store::testing
