// The Engine under load: the mock LLM server in this process answers every agent after a fixed
// latency over loopback HTTP, the OpenAI-compatible provider calls it, and the harness keeps a
// fixed number of tasks in flight (nine in ten low-risk PowerShell, one in ten a gated Azure CLI
// firewall change that it approves as soon as it waits). Prints tasks/s, p50/p99 task latency and
// peak RSS per repetition, then the medians.
//
//   build/release/bench/engine/opsgraph_engine_load --store memory --tasks 6000 --in-flight 1000
//     --latency-ms 200 --repetitions 3

#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <opsgraph/core/runtime.hpp>
#include <opsgraph/llm/openai.hpp>
#include <opsgraph/mock/llm_server.hpp>
#include <opsgraph/store/memory_store.hpp>
#include <opsgraph/store/sqlite_store.hpp>
#include <string>
#include <string_view>

#include "workload.hpp"

namespace {

using namespace opsgraph;
using namespace std::chrono_literals;

struct Options {
  std::string store = "memory";
  std::size_t tasks = 6000;
  std::size_t in_flight = 1000;
  int latency_ms = 200;
  std::size_t gated_every = 10;
  int repetitions = 3;
  std::size_t io_threads = 2;
};

struct Figures {
  double steady_tasks_per_s = 0;
  double overall_tasks_per_s = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  double peak_rss_mib = 0;
  std::size_t failed = 0;
  std::size_t approvals = 0;
};

bool parse_args(int argc, char** argv, Options& o) {
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string_view key = argv[i];
    const char* value = argv[i + 1];
    if (key == "--store")
      o.store = value;
    else if (key == "--tasks")
      o.tasks = std::strtoull(value, nullptr, 10);
    else if (key == "--in-flight")
      o.in_flight = std::strtoull(value, nullptr, 10);
    else if (key == "--latency-ms")
      o.latency_ms = std::atoi(value);
    else if (key == "--gated-every")
      o.gated_every = std::strtoull(value, nullptr, 10);
    else if (key == "--repetitions")
      o.repetitions = std::atoi(value);
    else if (key == "--io-threads")
      o.io_threads = std::strtoull(value, nullptr, 10);
    else
      return false;
  }
  return argc % 2 == 1 && (o.store == "memory" || o.store == "sqlite") && o.tasks > 0 &&
         o.in_flight > 0 && o.repetitions > 0;
}

// Both ends of every connection live in this process.
void raise_open_files_limit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
  }
}

mock::Rule answer_rule(const char* marker, json::Value answer, int latency_ms) {
  mock::Rule rule;
  rule.name = marker;
  rule.match.system_contains = marker;
  mock::RuleResponse response;
  response.json = std::move(answer);
  if (latency_ms > 0)
    response.fault = mock::parse_fault("latency_ms=" + std::to_string(latency_ms)).value();
  rule.responses.push_back(std::move(response));
  return rule;
}

std::vector<mock::Rule> rules(int latency_ms) {
  std::vector<mock::Rule> out;
  auto azure = answer_rule(bench::kAutomationMarker, bench::azure_cli_answer(), latency_ms);
  azure.name = std::string(bench::kAutomationMarker) + " azure";
  azure.match.user_contains = bench::kAzureMarker;
  out.push_back(std::move(azure));
  out.push_back(answer_rule(bench::kPlannerMarker, bench::plan_answer(), latency_ms));
  out.push_back(answer_rule(bench::kDiagnosticMarker, bench::diagnosis_answer(), latency_ms));
  out.push_back(answer_rule(bench::kAutomationMarker, bench::powershell_answer(), latency_ms));
  out.push_back(answer_rule(bench::kWriterMarker, bench::documents_answer(), latency_ms));
  return out;
}

struct StoreHandle {
  std::shared_ptr<store::TaskStore> tasks;
  std::shared_ptr<store::Checkpointer> checkpoints;
  std::string dir;
  ~StoreHandle() {
    tasks.reset();
    checkpoints.reset();
    if (!dir.empty())
      std::filesystem::remove_all(dir);
  }
};

result<void> open_store(const Options& o, StoreHandle& out) {
  if (o.store == "memory") {
    auto memory = std::make_shared<store::MemoryStore>();
    out.tasks = memory;
    out.checkpoints = memory;
    return ok();
  }
  std::string dir = "/tmp/opsgraph-engine-load-XXXXXX";
  if (mkdtemp(dir.data()) == nullptr)
    return fail(errc::internal, "mkdtemp failed");
  out.dir = dir;
  OPSGRAPH_TRY(auto sqlite, store::SqliteStore::open(dir + "/tasks.db"));
  std::shared_ptr<store::SqliteStore> shared = std::move(sqlite);
  out.tasks = shared;
  out.checkpoints = shared;
  return ok();
}

result<Figures> run_once(const Options& o, const std::string& base_url) {
  Runtime provider_runtime(Runtime::Options{1, 1});
  llm::OpenAIConfig config;
  config.base_url = base_url;
  config.api_key = "sk-bench";
  config.model = "mock-model";
  config.max_concurrent = static_cast<int>(o.in_flight * 2);
  config.logger = Logger::null();
  OPSGRAPH_TRY(auto provider, llm::make_openai_provider(provider_runtime.executor(), config));

  StoreHandle stores;
  OPSGRAPH_TRY(open_store(o, stores));
  engine::EngineOptions options;
  options.store = stores.tasks;
  options.checkpointer = stores.checkpoints;
  options.provider = provider;
  options.io_threads = o.io_threads;
  options.blocking_threads = 2;
  options.max_running_tasks = o.in_flight + o.in_flight / 2;
  options.logger = Logger::null();
  OPSGRAPH_TRY(auto engine, engine::Engine::create(std::move(options)));

  Figures f;
  {
    bench::Harness harness(*engine);
    const auto start = bench::Harness::Clock::now();
    for (std::size_t i = 0; i < o.tasks; ++i) {
      harness.wait_below(o.in_flight);
      if (!harness.submit(bench::request_for(i, o.gated_every)))
        return fail(errc::internal, "execute failed: " + harness.last_error());
    }
    harness.wait_finished(o.tasks);
    const auto end = bench::Harness::Clock::now();

    std::vector<double> ms;
    for (auto l : harness.latencies())
      ms.push_back(std::chrono::duration<double, std::milli>(l).count());
    f.p50_ms = bench::percentile(ms, 50);
    f.p99_ms = bench::percentile(ms, 99);
    f.overall_tasks_per_s =
        static_cast<double>(o.tasks) / std::chrono::duration<double>(end - start).count();
    // Steady state: the completions between the first and the last in_flight ones, when the
    // pipeline is full (no ramp-up at the start, no drain at the end).
    const auto times = harness.finish_times();
    const std::size_t skip = std::min(o.in_flight, times.size() / 4);
    const std::size_t first = skip, last = times.size() - 1 - skip;
    if (last > first) {
      f.steady_tasks_per_s = static_cast<double>(last - first) /
                             std::chrono::duration<double>(times[last] - times[first]).count();
    }
    f.failed = harness.failed();
    f.approvals = harness.approvals();
  }
  f.peak_rss_mib = bench::peak_rss_mib();
  engine.reset();
  return f;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!parse_args(argc, argv, o)) {
    std::fprintf(stderr,
                 "usage: %s [--store memory|sqlite] [--tasks N] [--in-flight N] [--latency-ms N]\n"
                 "          [--gated-every N] [--repetitions N] [--io-threads N]\n",
                 argv[0]);
    return 2;
  }
  raise_open_files_limit();
  mock::ServerOptions server_options;
  server_options.io_threads = 1;
  auto server = mock::MockLlmServer::start(server_options);
  if (!server) {
    std::fprintf(stderr, "mock server: %s\n", server.error().message.c_str());
    return 1;
  }
  if (auto added = server.value()->add_rules(rules(o.latency_ms)); !added) {
    std::fprintf(stderr, "mock rules: %s\n", added.error().message.c_str());
    return 1;
  }
  std::printf("store=%s tasks=%zu in_flight=%zu latency_ms=%d gated_every=%zu\n", o.store.c_str(),
              o.tasks, o.in_flight, o.latency_ms, o.gated_every);
  std::vector<double> steady, overall, p50, p99;
  int status = 0;
  for (int r = 0; r < o.repetitions; ++r) {
    auto f = run_once(o, server.value()->base_url());
    if (!f) {
      std::fprintf(stderr, "run %d: %s\n", r + 1, f.error().message.c_str());
      return 1;
    }
    const auto& v = f.value();
    std::printf(
        "run %d: %.0f tasks/s steady (%.0f overall)  p50 %.0f ms  p99 %.0f ms  peak RSS %.0f MiB  "
        "approvals %zu  not completed %zu\n",
        r + 1, v.steady_tasks_per_s, v.overall_tasks_per_s, v.p50_ms, v.p99_ms, v.peak_rss_mib,
        v.approvals, v.failed);
    std::fflush(stdout);
    if (v.failed > 0)
      status = 1;
    steady.push_back(v.steady_tasks_per_s);
    overall.push_back(v.overall_tasks_per_s);
    p50.push_back(v.p50_ms);
    p99.push_back(v.p99_ms);
  }
  std::printf(
      "median: %.0f tasks/s steady (%.0f overall)  p50 %.0f ms  p99 %.0f ms  peak RSS %.0f "
      "MiB\n",
      bench::median(steady), bench::median(overall), bench::median(p50), bench::median(p99),
      bench::peak_rss_mib());
  return status;
}
