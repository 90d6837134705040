// The Engine under load: the mock LLM server answers every agent after a fixed latency over
// loopback HTTP, the OpenAI-compatible provider calls it, and the harness keeps a fixed number of
// tasks in flight (nine in ten low-risk PowerShell, one in ten a gated Azure CLI firewall change
// that it approves as soon as it waits). Prints tasks/s, p50/p99 task latency, CPU per task and
// peak RSS per repetition, then the medians.
//
// The server runs as a process of its own (opsgraph-mock-llm), as an LLM endpoint would, so the
// RSS and CPU printed are the engine's process alone; `--mock in-process` runs it in this
// process instead (for builds without the program).
//
//   build/release/bench/engine/opsgraph_engine_load --store memory --tasks 6000 --in-flight 1000
//     --latency-ms 200 --repetitions 3

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <opsgraph/core/json.hpp>
#include <opsgraph/core/runtime.hpp>
#include <opsgraph/llm/openai.hpp>
#include <opsgraph/mock/llm_server.hpp>
#include <opsgraph/mock/rules.hpp>
#include <opsgraph/store/memory_store.hpp>
#include <opsgraph/store/sqlite_store.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "mock_process.hpp"
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
  std::size_t blocking_threads = 2;
  // A child process when this build has the program.
  std::string mock = std::string_view(OPSGRAPH_MOCK_LLM_PROGRAM).empty() ? "in-process" : "process";
};

struct Figures {
  double steady_tasks_per_s = 0;
  double overall_tasks_per_s = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  double peak_rss_mib = 0;
  double engine_cpu_ms_per_task = 0;
  double engine_kernel_ms_per_task = 0;
  double mock_cpu_ms_per_task = 0;
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
    else if (key == "--blocking-threads")
      o.blocking_threads = std::strtoull(value, nullptr, 10);
    else if (key == "--mock")
      o.mock = value;
    else
      return false;
  }
  return argc % 2 == 1 && (o.store == "memory" || o.store == "sqlite") &&
         (o.mock == "process" || o.mock == "in-process") && o.tasks > 0 && o.in_flight > 0 &&
         o.repetitions > 0;
}

// Both ends of every connection live in this process.
void raise_open_files_limit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
  }
}

// A rule answering requests whose system prompt holds `marker` (and, when given, whose user
// message holds `user_marker`) with `answer` after `latency_ms`.
json::Value answer_rule(std::string name, const char* marker, json::Value answer, int latency_ms,
                        const char* user_marker = nullptr) {
  json::Value match = json::Object{{"system_contains", marker}};
  if (user_marker != nullptr)
    match.set("user_contains", user_marker);
  json::Value response = json::Object{{"json", std::move(answer)}};
  if (latency_ms > 0)
    response.set("fault", "latency_ms=" + std::to_string(latency_ms));
  return json::Object{
      {"name", std::move(name)}, {"match", std::move(match)}, {"response", std::move(response)}};
}

// The mock server's rules file: each agent's answer after `latency_ms`; the automation agent
// answers Azure CLI tasks (told by the language in its input) with the Azure CLI script.
json::Value rules_file(int latency_ms) {
  using namespace bench;
  return json::Object{
      {"rules",
       json::Array{answer_rule("automation azure", kAutomationMarker, azure_cli_answer(),
                               latency_ms, kAzureMarker),
                   answer_rule("planner", kPlannerMarker, plan_answer(), latency_ms),
                   answer_rule("diagnostic", kDiagnosticMarker, diagnosis_answer(), latency_ms),
                   answer_rule("automation", kAutomationMarker, powershell_answer(), latency_ms),
                   answer_rule("writer", kWriterMarker, documents_answer(), latency_ms)}}};
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

// Throughput while the pipeline is full: from the in_flight-th completion (the first wave has
// drained into the steady state) to the last submission (after which it drains), the completions
// in between over that span. Bounding the window by times, not by completion counts, keeps bursts
// of completions at its edges from inflating the figure.
double steady_tasks_per_s(std::vector<bench::Harness::Clock::time_point> finished,
                          bench::Harness::Clock::time_point last_submit, std::size_t in_flight) {
  std::sort(finished.begin(), finished.end());
  if (finished.size() <= in_flight)
    return 0;
  const auto from = finished[in_flight - 1];
  if (last_submit <= from)
    return 0;
  const auto in_window = std::count_if(finished.begin(), finished.end(),
                                       [&](auto t) { return t > from && t <= last_submit; });
  return static_cast<double>(in_window) / std::chrono::duration<double>(last_submit - from).count();
}

// The mock server: a child process, or a server in this one.
struct MockServer {
  std::optional<bench::MockProcess> process;
  std::unique_ptr<mock::MockLlmServer> in_process;

  std::string base_url() const { return process ? process->base_url() : in_process->base_url(); }
  std::chrono::nanoseconds cpu_time() const { return process ? process->cpu_time() : 0ns; }
};

result<MockServer> start_mock(const Options& o) {
  const std::string rules_text = json::dump(rules_file(o.latency_ms));
  MockServer out;
  if (o.mock == "process") {
    if (std::string_view(OPSGRAPH_MOCK_LLM_PROGRAM).empty())
      return fail(errc::invalid_argument,
                  "this build has no opsgraph-mock-llm: use --mock in-process");
    const std::string path = std::filesystem::temp_directory_path() /
                             ("opsgraph-engine-load-rules-" + std::to_string(::getpid()) + ".json");
    {
      std::ofstream file(path);
      file << rules_text;
      if (!file)
        return fail(errc::internal, "cannot write " + path);
    }
    auto started = bench::MockProcess::start(OPSGRAPH_MOCK_LLM_PROGRAM, path);
    std::filesystem::remove(path);
    if (!started)
      return started.error();
    out.process.emplace(std::move(started.value()));
    return out;
  }
  OPSGRAPH_TRY(auto rules, mock::parse_rules(rules_text, "load rules"));
  mock::ServerOptions options;
  options.io_threads = 1;
  OPSGRAPH_TRY(out.in_process, mock::MockLlmServer::start(options));
  OPSGRAPH_TRY(out.in_process->add_rules(std::move(rules)));
  return out;
}

result<Figures> run_once(const Options& o, const MockServer& mock_server) {
  Runtime provider_runtime(Runtime::Options{1, 1});
  llm::OpenAIConfig config;
  config.base_url = mock_server.base_url();
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
  options.blocking_threads = o.blocking_threads;
  options.max_running_tasks = o.in_flight + o.in_flight / 2;
  options.logger = Logger::null();
  OPSGRAPH_TRY(auto engine, engine::Engine::create(std::move(options)));

  Figures f;
  {
    bench::Harness harness(*engine);
    const auto cpu_before = bench::process_cpu_time();
    const auto system_before = bench::process_system_time();
    const auto mock_cpu_before = mock_server.cpu_time();
    const auto start = bench::Harness::Clock::now();
    for (std::size_t i = 0; i < o.tasks; ++i) {
      harness.wait_below(o.in_flight);
      if (!harness.submit(bench::request_for(i, o.gated_every)))
        return fail(errc::internal, "execute failed: " + harness.last_error());
    }
    const auto last_submit = bench::Harness::Clock::now();
    harness.wait_finished(o.tasks);
    const auto end = bench::Harness::Clock::now();
    const auto per_task_ms = [&](std::chrono::nanoseconds cpu) {
      return std::chrono::duration<double, std::milli>(cpu).count() / static_cast<double>(o.tasks);
    };
    f.engine_cpu_ms_per_task = per_task_ms(bench::process_cpu_time() - cpu_before);
    f.engine_kernel_ms_per_task = per_task_ms(bench::process_system_time() - system_before);
    f.mock_cpu_ms_per_task = per_task_ms(mock_server.cpu_time() - mock_cpu_before);

    std::vector<double> ms;
    for (auto l : harness.latencies())
      ms.push_back(std::chrono::duration<double, std::milli>(l).count());
    f.p50_ms = bench::percentile(ms, 50);
    f.p99_ms = bench::percentile(ms, 99);
    f.overall_tasks_per_s =
        static_cast<double>(o.tasks) / std::chrono::duration<double>(end - start).count();
    f.steady_tasks_per_s = steady_tasks_per_s(harness.finish_times(), last_submit, o.in_flight);
    f.failed = harness.failed();
    f.approvals = harness.approvals();
  }
  f.peak_rss_mib = bench::peak_rss_mib();
  engine.reset();
  return f;
}

// The mock server's share of the CPU, which an in-process server adds to this process's own.
std::string mock_cpu_text(const Options& o, double mock_ms_per_task) {
  if (o.mock != "process")
    return "mock server included";
  char text[48];
  std::snprintf(text, sizeof text, "mock server %.2f ms", mock_ms_per_task);
  return text;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!parse_args(argc, argv, o)) {
    std::fprintf(stderr,
                 "usage: %s [--store memory|sqlite] [--tasks N] [--in-flight N] [--latency-ms N]\n"
                 "          [--gated-every N] [--repetitions N] [--io-threads N]\n"
                 "          [--blocking-threads N] [--mock process|in-process]\n",
                 argv[0]);
    return 2;
  }
  raise_open_files_limit();
  // First, while this process has no other thread.
  auto mock_server = start_mock(o);
  if (!mock_server) {
    std::fprintf(stderr, "mock server: %s\n", mock_server.error().message.c_str());
    return 1;
  }
  std::printf(
      "store=%s tasks=%zu in_flight=%zu latency_ms=%d gated_every=%zu mock=%s allocator=%s\n",
      o.store.c_str(), o.tasks, o.in_flight, o.latency_ms, o.gated_every, o.mock.c_str(),
      OPSGRAPH_ALLOCATOR_NAME);
  std::vector<double> steady, overall, p50, p99, engine_cpu, engine_kernel, mock_cpu;
  int status = 0;
  double highest_peak = 0;
  for (int r = 0; r < o.repetitions; ++r) {
    if (r > 0)
      bench::start_new_peak();
    auto f = run_once(o, mock_server.value());
    if (!f) {
      std::fprintf(stderr, "run %d: %s\n", r + 1, f.error().message.c_str());
      return 1;
    }
    const auto& v = f.value();
    std::printf(
        "run %d: %.0f tasks/s steady (%.0f overall)  p50 %.0f ms  p99 %.0f ms  CPU/task %.2f ms, "
        "%.2f in the kernel (%s)  peak RSS %.0f MiB  approvals %zu  not completed %zu\n",
        r + 1, v.steady_tasks_per_s, v.overall_tasks_per_s, v.p50_ms, v.p99_ms,
        v.engine_cpu_ms_per_task, v.engine_kernel_ms_per_task,
        mock_cpu_text(o, v.mock_cpu_ms_per_task).c_str(), v.peak_rss_mib, v.approvals, v.failed);
    std::fflush(stdout);
    if (v.failed > 0)
      status = 1;
    steady.push_back(v.steady_tasks_per_s);
    overall.push_back(v.overall_tasks_per_s);
    p50.push_back(v.p50_ms);
    p99.push_back(v.p99_ms);
    engine_cpu.push_back(v.engine_cpu_ms_per_task);
    engine_kernel.push_back(v.engine_kernel_ms_per_task);
    highest_peak = std::max(highest_peak, v.peak_rss_mib);
    mock_cpu.push_back(v.mock_cpu_ms_per_task);
  }
  std::printf(
      "median: %.0f tasks/s steady (%.0f overall)  p50 %.0f ms  p99 %.0f ms  CPU/task %.2f ms, "
      "%.2f in the kernel (%s)  peak RSS %.0f MiB\n",
      bench::median(steady), bench::median(overall), bench::median(p50), bench::median(p99),
      bench::median(engine_cpu), bench::median(engine_kernel),
      mock_cpu_text(o, bench::median(mock_cpu)).c_str(), highest_peak);
  return status;
}
