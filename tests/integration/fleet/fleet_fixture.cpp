#include "fleet_fixture.hpp"

#include <cstdlib>
#include <fstream>
#include <opsgraph/core/json.hpp>
#include <opsgraph/engine/config.hpp>
#include <opsgraph/mock/rules.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "unit/store/postgres_cluster.hpp"

namespace opsgraph::fleet {
namespace {

constexpr const char* kCpuRequest =
    "Diagnose why Windows Server 2019 VM cpu01 hits 95%+ CPU, generate a PowerShell script to "
    "collect perfmon logs, and draft an email to management summarising findings.";

std::string quoted(const std::string& text) {
  return json::dump(json::Value(text));
}

// The port in a server's first line ("opsgraphd: serving http://127.0.0.1:PORT on ..."); 0 when
// it names none.
std::uint16_t served_port(const std::string& line) {
  constexpr std::string_view kHost = "http://127.0.0.1:";
  const auto at = line.find(kHost);
  if (at == std::string::npos)
    return 0;
  return static_cast<std::uint16_t>(std::atoi(line.c_str() + at + kHost.size()));
}

}  // namespace

std::string cpu_request(int ticket) {
  return std::string(kCpuRequest) + " Ticket " + std::to_string(ticket) + ".";
}

void FleetTest::TearDown() {
  front_.reset();
  // The processes' logs after a failure, or always with OPSGRAPH_FLEET_LOGS=1.
  const char* always = std::getenv("OPSGRAPH_FLEET_LOGS");
  if (HasFailure() || (always != nullptr && std::string(always) == "1")) {
    for (const auto& entry : std::filesystem::directory_iterator(dir_.path())) {
      if (entry.path().extension() == ".log")
        std::cerr << log_tail(entry.path().string()) << '\n';
    }
  }
}

void FleetTest::start_mock(std::chrono::milliseconds min, std::chrono::milliseconds max) {
  auto started = mock::MockLlmServer::start(mock::ServerOptions{});
  ASSERT_TRUE(started) << started.error().message;
  mock_ = std::move(started).value();
  auto rules = mock::load_rules_file(OPSGRAPH_DEMO_RULES);
  ASSERT_TRUE(rules) << rules.error().message;
  for (auto& rule : rules.value()) {
    for (auto& response : rule.responses) {
      response.fault.latency_min = min;
      response.fault.latency_max = max;
    }
  }
  auto added = mock_->add_rules(std::move(rules).value());
  ASSERT_TRUE(added) << added.error().message;
}

void FleetTest::use_database(std::string dsn) {
  if (dsn.empty()) {
    std::string why;
    auto shared = store::testing::shared_dsn(&why);
    ASSERT_TRUE(shared) << why;
    dsn = *shared;
  }
  dsn_ = dsn;
  schema_ = store::testing::fresh_schema();
  config_path_ = dir_.file("fleet.json");
  std::ofstream config(config_path_);
  // The front ends do not rate-limit the test's one key: thousands of its requests come at once.
  config << R"({"provider": {"base_url": )" << quoted(mock_->base_url())
         << R"(, "max_attempts": 2},)"
         << R"( "store": {"kind": "postgres", "dsn": )" << quoted(dsn_) << R"(, "schema": )"
         << quoted(schema_) << R"(},)"
         << R"( "server": {"rate_limit": {"per_second": 0}}})" << '\n';
  ASSERT_TRUE(config.good());
}

std::string FleetTest::log_of(const std::string& name) const {
  return dir_.file(name + ".log");
}

std::optional<WorkerProcess> FleetTest::start_worker(const std::string& name,
                                                     const WorkerFlags& flags) {
  return WorkerProcess::start(
      OPSGRAPH_CLI_PATH,
      {"worker", "--config", config_path_, "--worker-id", name, "--max-tasks",
       std::to_string(flags.max_tasks), "--lease-ttl-ms", std::to_string(flags.lease_ttl_ms),
       "--poll-ms", std::to_string(flags.poll_ms), "--log-level", "info"},
      log_of(name), 60s);
}

std::optional<FrontEnd> FleetTest::start_front_end(const std::string& name) {
  auto process = WorkerProcess::start(
      OPSGRAPHD_PATH,
      {"--no-worker", "--config", config_path_, "--port", "0", "--log-level", "info"}, log_of(name),
      60s);
  if (!process)
    return std::nullopt;
  const auto port = served_port(process->started_line());
  if (port == 0) {
    ADD_FAILURE() << name << " names no port: " << process->started_line();
    return std::nullopt;
  }
  return FrontEnd{std::move(*process), port};
}

std::string FleetTest::make_key(const std::string& role) {
  const auto made = run_command(
      OPSGRAPH_CLI_PATH,
      {"keys", "create", "--config", config_path_, "--name", "fleet", "--role", role, "--json"},
      log_of("keys"), 60s);
  EXPECT_EQ(made.exit_code, 0) << read_file(log_of("keys"));
  auto key = json::parse(made.out);
  const auto* secret = key ? key.value().find("secret") : nullptr;
  EXPECT_TRUE(secret != nullptr && secret->is_string()) << made.out;
  return secret != nullptr && secret->is_string() ? *secret->if_string() : std::string();
}

engine::Engine& FleetTest::front() {
  if (!front_) {
    engine::EngineConfig config;
    config.provider.base_url = mock_->base_url();
    config.store.kind = "postgres";
    config.store.dsn = dsn_;
    config.store.schema = schema_;
    auto options = engine::options_from(config, [](std::string_view) { return std::nullopt; });
    EXPECT_TRUE(options) << options.error().message;
    options.value().run_tasks = false;
    options.value().poll_interval = 50ms;
    options.value().logger = Logger::null();
    auto made = engine::Engine::create(std::move(options).value());
    EXPECT_TRUE(made) << made.error().message;
    front_ = std::move(made).value();
  }
  return *front_;
}

std::vector<std::string> FleetTest::submit(int count) {
  std::vector<std::string> ids;
  for (int i = 0; i < count; ++i) {
    engine::ExecuteRequest request;
    request.request = cpu_request(i);
    request.require_approval = false;
    auto task = front().execute(request);
    EXPECT_TRUE(task) << task.error().message;
    if (task)
      ids.push_back(task.value().task_id);
  }
  return ids;
}

std::size_t FleetTest::final_count(const std::vector<std::string>& ids) {
  const std::set<std::string> wanted(ids.begin(), ids.end());
  engine::TaskQuery query;
  query.statuses = {TaskStatus::completed, TaskStatus::failed, TaskStatus::rejected,
                    TaskStatus::cancelled};
  query.limit = 1000;
  std::size_t done = 0;
  for (;;) {
    auto page = front().list(query);
    if (!page)
      return done;  // the store is away: not final, as far as anyone can tell
    for (const auto& task : page.value().tasks)
      done += wanted.count(task.task_id);
    if (!page.value().next_cursor)
      return done;
    query.cursor = *page.value().next_cursor;
  }
}

std::map<std::string, TaskSnapshot> FleetTest::wait_all(const std::vector<std::string>& ids,
                                                        std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::map<std::string, TaskSnapshot> tasks;
  for (const auto& id : ids) {
    for (;;) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      auto task = front().wait(id, engine::WaitFor::final, std::max(left, 0ms));
      if (task && (coordinator::is_final(task.value().status) || left <= 0ms)) {
        tasks.emplace(id, std::move(task).value());
        break;
      }
      if (left <= 0ms)
        break;
      if (!task)
        std::this_thread::sleep_for(100ms);  // the store is away: ask again
    }
  }
  return tasks;
}

void FleetTest::expect_completed_once(const TaskSnapshot& task, std::optional<int> planned) {
  const std::string& id = task.task_id;
  EXPECT_EQ(task.status, TaskStatus::completed) << id << ": " << json::encode(task);
  // Each agent answered; an attempt that failed after its answer (its record update met a store
  // that was away) and was tried again counts its call as well.
  EXPECT_GE(task.usage.llm_calls, 4) << id;
  EXPECT_TRUE(task.diagnosis && task.script) << id;
  std::vector<engine::TaskEvent> events;
  for (int round = 0; round < 50; ++round) {
    auto read = front().events(id, 0, 1000);
    if (read) {
      events = std::move(read).value();
      break;
    }
    std::this_thread::sleep_for(100ms);
  }
  ASSERT_FALSE(events.empty()) << id;
  EXPECT_EQ(events.front().type, "created") << "the trail starts with the task's creation: " << id;
  int completed = 0;
  int planned_events = 0;
  for (std::size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i].seq, i + 1) << "gapless, in order: " << id;
    if (events[i].type == "status" && events[i].data.find("\"completed\"") != std::string::npos)
      ++completed;
    if (events[i].type == "planned")
      ++planned_events;
  }
  EXPECT_EQ(completed, 1) << "the task ended exactly once: " << id;
  if (planned) {
    EXPECT_EQ(planned_events, *planned) << id;
  }
  if (::testing::Test::HasFailure() && !dumped_) {
    dumped_ = true;  // one task's story is enough to see what went wrong
    std::cerr << "events of " << id << ":\n";
    for (const auto& event : events)
      std::cerr << "  " << event.seq << " " << event.type << " " << event.data << '\n';
  }
}

void FleetTest::expect_none_lost(const std::vector<std::string>& ids) {
  std::set<std::string> stored;
  engine::TaskQuery query;
  query.limit = 1000;
  for (;;) {
    auto page = front().list(query);
    ASSERT_TRUE(page) << page.error().message;
    for (const auto& task : page.value().tasks)
      stored.insert(task.task_id);
    if (!page.value().next_cursor)
      break;
    query.cursor = *page.value().next_cursor;
  }
  EXPECT_EQ(stored, std::set<std::string>(ids.begin(), ids.end()));
}

std::uint64_t FleetTest::calls_to(const std::string& agent) const {
  const auto stats = mock_->stats();
  const auto it = stats.requests_by_rule.find("demo cpu01: " + agent);
  return it == stats.requests_by_rule.end() ? 0 : it->second;
}

std::string log_tail(const std::string& path, std::size_t lines) {
  std::istringstream text(read_file(path));
  std::vector<std::string> all;
  for (std::string line; std::getline(text, line);)
    all.push_back(line);
  std::string out = path + ":\n";
  for (std::size_t i = all.size() > lines ? all.size() - lines : 0; i < all.size(); ++i)
    out += "  " + all[i] + "\n";
  return out;
}

}  // namespace opsgraph::fleet
