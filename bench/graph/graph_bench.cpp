// The graph runtime's cost per node transition, against a plain loop calling the same node
// bodies, and the memory of many runs waiting at once.
//
//   build/ci/bench/graph/opsgraph_graph_bench --benchmark_repetitions=5
//     --benchmark_report_aggregates_only=true

#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <atomic>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <filesystem>
#include <fstream>
#include <future>
#include <opsgraph/graph/runner.hpp>
#include <opsgraph/store/memory_store.hpp>
#include <opsgraph/store/sqlite_store.hpp>
#include <string>

namespace {

using namespace opsgraph;
using namespace std::chrono_literals;

/// About 1 KB of state, as a checkpoint would carry it.
struct Doc {
  std::string payload;
  std::int64_t counter = 0;
  std::vector<std::string> notes;
};

}  // namespace

template <>
struct opsgraph::json::Schema<Doc> {
  static constexpr auto fields =
      std::make_tuple(json::field("payload", &Doc::payload), json::field("counter", &Doc::counter),
                      json::field("notes", &Doc::notes));
};

namespace {

constexpr int kSteps = 100;

Doc make_doc() {
  Doc d;
  d.payload.assign(900, 'x');
  for (int i = 0; i < 4; ++i)
    d.notes.push_back("note number " + std::to_string(i));
  return d;
}

/// What every node does: a small change to the state.
void touch(Doc& d) {
  ++d.counter;
  d.payload[static_cast<std::size_t>(d.counter) % d.payload.size()] ^= 1;
}

Task<result<void>> touch_node(Doc& d) {
  touch(d);
  co_return ok();
}

graph::CompiledGraph<Doc> looping_graph() {
  graph::StateGraph<Doc> g("bench-loop");
  g.add_node("step", [](Doc& d) { return touch_node(d); });
  g.set_entry("step").add_conditional_edges(
      "step", [](const Doc& d) { return d.counter % kSteps == 0 ? "end" : "step"; },
      {"step", "end"});
  g.add_node("end", [](Doc& d) { return touch_node(d); }).add_edge("end", std::string(graph::kEnd));
  return std::move(g.compile()).value();
}

void BM_PlainLoop(benchmark::State& state) {
  Doc d = make_doc();
  for (auto _ : state) {
    for (int i = 0; i < kSteps; ++i)
      touch(d);
    benchmark::DoNotOptimize(d);
  }
  state.SetItemsProcessed(state.iterations() * kSteps);
}
BENCHMARK(BM_PlainLoop);

void run_graph(benchmark::State& state, std::shared_ptr<store::Checkpointer> checkpointer) {
  graph::Runner runner(graph::RunnerOptions{
      .io_threads = 1, .blocking_threads = 1, .checkpointer = std::move(checkpointer)});
  auto graph = looping_graph();
  for (auto _ : state) {
    auto r = runner.invoke(graph, make_doc());
    if (!r || r.value().status != graph::RunStatus::completed) {
      state.SkipWithError("run failed");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations() * kSteps);  // items/s = node transitions/s
}

void BM_GraphStep_MemoryCheckpointer(benchmark::State& state) {
  run_graph(state, std::make_shared<store::MemoryStore>());
}
BENCHMARK(BM_GraphStep_MemoryCheckpointer)->UseRealTime();

void BM_GraphStep_SqliteCheckpointer(benchmark::State& state) {
  std::string dir = "/tmp/opsgraph-bench-XXXXXX";
  if (mkdtemp(dir.data()) == nullptr) {
    state.SkipWithError("mkdtemp failed");
    return;
  }
  {
    auto store = store::SqliteStore::open(dir + "/runs.db");
    if (!store) {
      state.SkipWithError("open failed");
    } else {
      run_graph(state, std::move(store).value());
    }
  }
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_GraphStep_SqliteCheckpointer)->UseRealTime();

long resident_kib() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmRSS:", 0) == 0)
      return std::stol(line.substr(6));
  }
  return 0;
}

struct Waiting {
  std::atomic<int> now{0};
  std::atomic<int> done{0};
  std::atomic<long> peak_kib{0};
  int total = 0;
  std::promise<void> finished;
};

Task<result<void>> wait_50ms(Doc& d, graph::NodeContext& ctx, Waiting* w) {
  if (++w->now == w->total)
    w->peak_kib = resident_kib();  // every run is waiting right now
  boost::asio::steady_timer timer(ctx.executor(), 50ms);
  co_await timer.async_wait(boost::asio::use_awaitable);
  ++d.counter;
  co_return ok();
}

Task<void> one_waiting_run(graph::Runner& runner, graph::CompiledGraph<Doc> graph, Waiting* w) {
  Doc initial = make_doc();
  auto r = co_await runner.run(graph, std::move(initial));
  (void)r;
  if (++w->done == w->total)
    w->finished.set_value();
}

// 10,000 runs each awaiting a 50 ms timer at the same time on two threads: the memory they hold
// while waiting (state, checkpoint, coroutine frames), reported as rss_mib.
void BM_ConcurrentAwaitingRuns(benchmark::State& state) {
  const int runs = static_cast<int>(state.range(0));
  for (auto _ : state) {
    Waiting w;
    w.total = runs;
    graph::StateGraph<Doc> g("bench-wait");
    g.add_node("wait", [&w](Doc& d, graph::NodeContext& ctx) { return wait_50ms(d, ctx, &w); });
    g.set_entry("wait").add_edge("wait", std::string(graph::kEnd));
    auto graph = std::move(g.compile()).value();
    graph::Runner runner(graph::RunnerOptions{.io_threads = 2, .blocking_threads = 1});
    const long before = resident_kib();
    for (int i = 0; i < runs; ++i)
      spawn(runner.executor(), one_waiting_run(runner, graph, &w));
    w.finished.get_future().wait();
    state.counters["rss_mib"] = static_cast<double>(w.peak_kib.load() - before) / 1024.0;
  }
  state.SetItemsProcessed(state.iterations() * runs);
}
BENCHMARK(BM_ConcurrentAwaitingRuns)
    ->Arg(10'000)
    ->Iterations(1)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
