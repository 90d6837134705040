// The Engine end to end with an instant in-process provider: tasks per second with the memory and
// SQLite stores and the engine's own cost per task (everything but the LLM), against the bare
// graph runtime running a seven-node graph of empty nodes over the same state with no store.
//
//   build/release/bench/engine/opsgraph_engine_bench --benchmark_repetitions=5
//     --benchmark_report_aggregates_only=true

#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <future>
#include <opsgraph/coordinator/task_state.hpp>
#include <opsgraph/graph/runner.hpp>
#include <opsgraph/store/memory_store.hpp>
#include <opsgraph/store/sqlite_store.hpp>

#include "workload.hpp"

namespace {

using namespace opsgraph;
using namespace std::chrono_literals;

// The report's context names the allocator this program links (cmake/OpsgraphAllocator.cmake).
const bool kAllocatorNamed =
    (benchmark::AddCustomContext("allocator", OPSGRAPH_ALLOCATOR_NAME), true);

// Tasks started together in one iteration; every tenth is gated and approved by the harness.
constexpr std::size_t kGatedEvery = 10;

struct Stores {
  std::shared_ptr<store::TaskStore> tasks;
  std::shared_ptr<store::Checkpointer> checkpoints;
};

std::unique_ptr<engine::Engine> make_engine(const Stores& stores,
                                            std::shared_ptr<llm::Provider> provider) {
  engine::EngineOptions options;
  options.store = stores.tasks;
  options.checkpointer = stores.checkpoints;
  options.provider = std::move(provider);
  options.io_threads = 2;
  options.blocking_threads = 2;
  options.logger = Logger::null();
  auto made = engine::Engine::create(std::move(options));
  return made ? std::move(made).value() : nullptr;
}

// Runs batches of `state.range(0)` tasks (1: one task at a time) and reports tasks/s as items/s,
// plus the engine's wall and CPU time per task with the provider's time taken out.
void run_tasks(benchmark::State& state, const Stores& stores) {
  const auto batch = static_cast<std::size_t>(state.range(0));
  auto provider = std::make_shared<bench::InstantProvider>();
  auto engine = make_engine(stores, provider);
  if (!engine) {
    state.SkipWithError("engine creation failed");
    return;
  }
  std::size_t submitted = 0;
  {
    bench::Harness harness(*engine);
    // One untimed task warms the agents' caches, the checker's cache and the allocator.
    harness.submit(bench::request_for(0, kGatedEvery));
    harness.wait_finished(1);
    submitted = 1;
    const auto cpu_before = bench::process_cpu_time();
    const auto system_before = bench::process_system_time();
    const auto provider_before = provider->time_inside();
    const auto wall_before = std::chrono::steady_clock::now();
    for (auto _ : state) {
      for (std::size_t i = 0; i < batch; ++i) {
        if (!harness.submit(bench::request_for(submitted++, kGatedEvery))) {
          state.SkipWithError(harness.last_error().c_str());
          return;
        }
      }
      harness.wait_finished(submitted);
    }
    const double tasks = static_cast<double>(submitted - 1);
    const auto wall = std::chrono::steady_clock::now() - wall_before;
    const auto inside = provider->time_inside() - provider_before;
    const auto cpu = bench::process_cpu_time() - cpu_before;
    const auto kernel = bench::process_system_time() - system_before;
    const auto per_task_us = [tasks](std::chrono::nanoseconds time) {
      return std::chrono::duration<double, std::micro>(time).count() / tasks;
    };
    state.counters["overhead_us"] = per_task_us(wall - inside);
    state.counters["cpu_us"] = per_task_us(cpu - inside);
    state.counters["kernel_us"] = per_task_us(kernel);
    state.counters["failed"] = static_cast<double>(harness.failed());
    state.SetItemsProcessed(static_cast<std::int64_t>(tasks));
  }
  engine.reset();
}

void BM_Engine_MemoryStore(benchmark::State& state) {
  auto memory = std::make_shared<store::MemoryStore>();
  run_tasks(state, Stores{memory, memory});
}
BENCHMARK(BM_Engine_MemoryStore)->Arg(1)->Arg(256)->UseRealTime()->Unit(benchmark::kMillisecond);

void BM_Engine_SqliteStore(benchmark::State& state) {
  std::string dir = "/tmp/opsgraph-engine-bench-XXXXXX";
  if (mkdtemp(dir.data()) == nullptr) {
    state.SkipWithError("mkdtemp failed");
    return;
  }
  {
    auto sqlite = store::SqliteStore::open(dir + "/tasks.db");
    if (!sqlite) {
      state.SkipWithError("open failed");
    } else {
      std::shared_ptr<store::SqliteStore> shared = std::move(sqlite).value();
      run_tasks(state, Stores{shared, shared});
    }
  }
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_Engine_SqliteStore)->Arg(1)->Arg(256)->UseRealTime()->Unit(benchmark::kMillisecond);

// The baseline: the coordinator's seven node names as empty nodes over the same TaskState, run
// by a bare graph::Runner with no checkpointer, journal, store or LLM — what a task costs the
// graph runtime alone.
Task<result<void>> empty_node(coordinator::TaskState& state) {
  state.task.summary.push_back('.');
  co_return ok();
}

graph::CompiledGraph<coordinator::TaskState> seven_empty_nodes() {
  graph::StateGraph<coordinator::TaskState> g("bench-seven");
  const char* names[] = {"plan",          "diagnosis", "plan_review", "automation",
                         "script_review", "writing",   "aggregate"};
  for (const char* name : names)
    g.add_node(name, [](coordinator::TaskState& s) { return empty_node(s); });
  g.set_entry(names[0]);
  for (std::size_t i = 0; i + 1 < std::size(names); ++i)
    g.add_edge(names[i], names[i + 1]);
  g.add_edge(names[6], std::string(graph::kEnd));
  return std::move(g.compile()).value();
}

struct Batch {
  std::atomic<std::size_t> left{0};
  std::promise<void> done;
};

Task<void> one_run(graph::Runner& runner, const graph::CompiledGraph<coordinator::TaskState>& g,
                   coordinator::TaskState initial, Batch* batch) {
  auto run = runner.run(g, std::move(initial));
  auto r = co_await std::move(run);
  (void)r;
  if (--batch->left == 0)
    batch->done.set_value();
}

void BM_BareRunner_SevenEmptyNodes(benchmark::State& state) {
  const auto batch_size = static_cast<std::size_t>(state.range(0));
  graph::Runner runner(graph::RunnerOptions{.io_threads = 2, .blocking_threads = 1});
  const auto g = seven_empty_nodes();
  coordinator::TaskState initial;
  initial.task.request = bench::kCpuRequest;
  std::size_t runs = 0;
  for (auto _ : state) {
    Batch batch;
    batch.left = batch_size;
    for (std::size_t i = 0; i < batch_size; ++i)
      spawn(runner.executor(), one_run(runner, g, initial, &batch));
    batch.done.get_future().wait();
    runs += batch_size;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(runs));
}
BENCHMARK(BM_BareRunner_SevenEmptyNodes)
    ->Arg(1)
    ->Arg(256)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
