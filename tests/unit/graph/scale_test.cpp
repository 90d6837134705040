// Ten thousand runs in flight at once on two io threads: each node awaits a 50 ms timer, which
// holds no thread, so all of them wait together and all complete.

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <opsgraph/graph/runner.hpp>

#include "unit/graph/trace_state.hpp"

namespace opsgraph::graph {
namespace {

using namespace std::chrono_literals;
using testing::Trace;

constexpr int kRuns = 10'000;

struct Tally {
  std::atomic<int> completed{0};
  std::atomic<int> finished{0};
  std::promise<void> all_done;
};

Task<void> run_one(Runner& runner, CompiledGraph<Trace> graph, Tally* tally) {
  Trace initial;  // named: an aggregate temporary inside co_await is destroyed twice by g++ 12
  auto r = co_await runner.run(graph, std::move(initial));
  if (r && r.value().status == RunStatus::completed && r.value().state.counter == 2) {
    ++tally->completed;
  }
  if (++tally->finished == kRuns)
    tally->all_done.set_value();
}

TEST(ScaleTest, TenThousandRunsAwaitTimersTogetherOnTwoThreads) {
  testing::Waiters waiters;
  StateGraph<Trace> g("scale");
  g.add_node("first", testing::CountedWait{"first", &waiters})
      .add_node("second", testing::CountedWait{"second", &waiters});
  g.set_entry("first").add_edge("first", "second").add_edge("second", std::string(kEnd));
  auto compiled = g.compile();
  ASSERT_TRUE(compiled);

  Runner runner(RunnerOptions{.io_threads = 2, .blocking_threads = 1});
  Tally tally;
  for (int i = 0; i < kRuns; ++i)
    spawn(runner.executor(), run_one(runner, compiled.value(), &tally));
  tally.all_done.get_future().wait();

  EXPECT_EQ(tally.completed.load(), kRuns);
  // Thousands waited at the same moment: the runs did not take turns on the two threads (which
  // would give a peak of two). How many exactly depends on how fast the machine starts them.
  EXPECT_GT(waiters.peak.load(), kRuns / 10);
  EXPECT_EQ(runner.active_runs(), 0u);
}

}  // namespace
}  // namespace opsgraph::graph
