#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <future>
#include <mutex>
#include <opsgraph/graph/runner.hpp>
#include <opsgraph/store/memory_store.hpp>
#include <sstream>
#include <thread>

#include "unit/graph/event_log.hpp"
#include "unit/graph/trace_state.hpp"

namespace runner_test {

/// A state that counts how often any instance is copied.
struct CopyCounted {
  static inline std::atomic<int> copies{0};
  int value = 0;

  CopyCounted() = default;
  CopyCounted(const CopyCounted& other) : value(other.value) { ++copies; }
  CopyCounted& operator=(const CopyCounted& other) {
    value = other.value;
    ++copies;
    return *this;
  }
  CopyCounted(CopyCounted&&) = default;
  CopyCounted& operator=(CopyCounted&&) = default;
};

}  // namespace runner_test

template <>
struct opsgraph::json::Schema<runner_test::CopyCounted> {
  static constexpr auto fields =
      std::make_tuple(json::field("value", &runner_test::CopyCounted::value));
};

namespace opsgraph::graph {
namespace {

using namespace std::chrono_literals;
using testing::Sleep;
using testing::Trace;
using testing::Visit;
const std::string kEndNode(kEnd);

class RunnerTest : public ::testing::Test {
 protected:
  RunnerTest()
      : store_(std::make_shared<store::MemoryStore>()),
        runner_(RunnerOptions{
            .io_threads = 2, .blocking_threads = 2, .checkpointer = store_, .seed = 42}) {
    runner_.add_observer(log_.observer());
  }

  template <class State>
  CompiledGraph<State> compile(const StateGraph<State>& g) {
    auto compiled = g.compile();
    EXPECT_TRUE(compiled) << (compiled ? "" : compiled.error().message);
    return std::move(compiled).value();
  }

  RunResult<Trace> run(const CompiledGraph<Trace>& g, Trace initial = {}, RunOptions o = {}) {
    auto r = runner_.invoke(g, std::move(initial), std::move(o));
    EXPECT_TRUE(r) << (r ? "" : r.error().message);
    return std::move(r).value();
  }

  // Starts `g` as `run_id` on `caller`, a thread of its own, and returns once its node `node` has
  // started; the run's result comes through the future.
  std::future<result<RunResult<Trace>>> start_until(const CompiledGraph<Trace>& g,
                                                    const std::string& run_id,
                                                    const std::string& node, std::thread& caller) {
    auto done = std::make_shared<std::promise<result<RunResult<Trace>>>>();
    auto future = done->get_future();
    caller = std::thread([this, &g, run_id, done] {
      done->set_value(runner_.invoke(g, Trace{}, {.run_id = run_id}));
    });
    const std::string started = "node_started:" + node;
    for (int i = 0; i < 200 && log_.script(run_id).find(started) == std::string::npos; ++i)
      std::this_thread::sleep_for(5ms);
    return future;
  }

  std::shared_ptr<store::MemoryStore> store_;
  testing::EventLog log_;
  Runner runner_;
};

TEST_F(RunnerTest, RunsNodesInEdgeOrder) {
  StateGraph<Trace> g("line");
  g.add_node("a", Visit{"a"}).add_node("b", Sleep{"b", 1ms}).add_node("c", Visit{"c"});
  g.set_entry("a").add_edge("a", "b").add_edge("b", "c").add_edge("c", kEndNode);
  auto r = run(compile(g));
  EXPECT_EQ(r.status, RunStatus::completed);
  EXPECT_EQ(r.state.visited, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(r.steps, 3u);
  EXPECT_FALSE(r.error);
  EXPECT_EQ(log_.script(r.run_id),
            "run_started node_started:a node_finished:a node_started:b node_finished:b "
            "node_started:c node_finished:c completed");
}

TEST_F(RunnerTest, EventsAreNumberedInOrder) {
  StateGraph<Trace> g("seq");
  g.add_node("a", Visit{"a"}).set_entry("a").add_edge("a", kEndNode);
  auto r = run(compile(g));
  auto events = log_.of(r.run_id);
  ASSERT_FALSE(events.empty());
  for (std::size_t i = 0; i < events.size(); ++i)
    EXPECT_EQ(events[i].seq, i + 1);
}

TEST_F(RunnerTest, ConditionalEdgesLoopUntilTheRouterSaysStop) {
  StateGraph<Trace> g("loop");
  g.add_node("count", [](Trace& t) { ++t.counter; });
  g.add_node("done", Visit{"done"});
  g.set_entry("count")
      .add_conditional_edges("count",
                             [](const Trace& t) { return t.counter < 3 ? "count" : "done"; },
                             {"count", "done"})
      .add_edge("done", kEndNode);
  auto r = run(compile(g));
  EXPECT_EQ(r.status, RunStatus::completed);
  EXPECT_EQ(r.state.counter, 3);
  EXPECT_EQ(r.steps, 4u);
}

TEST_F(RunnerTest, ARouterChoosingAnUndeclaredNodeFailsTheRun) {
  StateGraph<Trace> g("bad-router");
  g.add_node("a", Visit{"a"}).add_node("b", Visit{"b"}).add_edge("b", kEndNode);
  g.set_entry("a").add_conditional_edges("a", [](const Trace&) { return "c"; }, {"b"});
  auto r = run(compile(g));
  EXPECT_EQ(r.status, RunStatus::failed);
  ASSERT_TRUE(r.error);
  EXPECT_NE(r.error->message.find("chose \"c\""), std::string::npos) << r.error->message;
}

TEST_F(RunnerTest, FanOutRunsBranchesInParallelAndTheJoinWaitsForAll) {
  testing::Waiters waiters;
  StateGraph<Trace> g("diamond");
  g.add_node("start", Visit{"start"});
  g.add_node("left", testing::CountedWait{"left", &waiters})
      .add_node("right", testing::CountedWait{"right", &waiters});
  g.add_node("after_right", Visit{"after_right"});
  g.add_node("merge", Visit{"merge"});
  g.set_entry("start").add_edge("start", "left").add_edge("start", "right");
  g.add_edge("right", "after_right");
  g.add_join({"left", "after_right"}, "merge").add_edge("merge", kEndNode);
  g.set_reducer(testing::merge_traces);
  auto r = run(compile(g));
  EXPECT_EQ(r.status, RunStatus::completed);
  EXPECT_EQ(waiters.peak.load(), 2);  // both branches were waiting at once
  ASSERT_EQ(r.state.visited.size(), 5u);
  EXPECT_EQ(r.state.visited.back(), "merge");  // once, after both sides
  EXPECT_EQ(std::count(r.state.visited.begin(), r.state.visited.end(), "merge"), 1);
  EXPECT_EQ(r.steps, 4u);  // start, {left, right}, after_right, merge
}

TEST_F(RunnerTest, PlainFunctionsRunOnTheBlockingPool) {
  auto caller = std::this_thread::get_id();
  std::atomic<bool> on_other_thread{false};
  StateGraph<Trace> g("sync");
  g.add_node("work", [&](Trace& t) -> result<void> {
    on_other_thread = std::this_thread::get_id() != caller;
    t.visited.push_back("work");
    return ok();
  });
  g.set_entry("work").add_edge("work", kEndNode);
  auto r = run(compile(g));
  EXPECT_EQ(r.status, RunStatus::completed);
  EXPECT_TRUE(on_other_thread);
}

TEST_F(RunnerTest, AFailedAttemptLeavesTheStateUntouched) {
  StateGraph<Trace> g("rollback");
  g.add_node("a", Visit{"a"});
  g.add_node("b", [](Trace& t) -> result<void> {
    t.visited.push_back("half-done");
    return fail(errc::invalid_argument, "bad input");
  });
  g.set_entry("a").add_edge("a", "b").add_edge("b", kEndNode);
  auto r = run(compile(g));
  EXPECT_EQ(r.status, RunStatus::failed);
  EXPECT_EQ(r.state.visited, (std::vector<std::string>{"a"}));
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->code, errc::invalid_argument);
  EXPECT_EQ(*r.error->details.find("node"), json::Value("b"));
  EXPECT_EQ(*r.error->details.find("attempts"), json::Value(1));
}

// Counts each attempt in `counter`, and fails all but the `succeed_on`-th (retryably).
struct CountsAttempts {
  std::shared_ptr<std::atomic<int>> calls = std::make_shared<std::atomic<int>>(0);
  int succeed_on = 0;
  result<void> operator()(Trace& t) const {
    ++t.counter;
    if (++*calls != succeed_on)
      return fail(errc::upstream_unavailable, "not this time");
    t.visited.push_back("counted");
    return ok();
  }
};

void keep_counter(Trace& state, const Trace& failed) {
  state.counter = failed.counter;
}

// A graph of one CountsAttempts node "n", tried at most `max_attempts` times.
StateGraph<Trace> counting_graph(std::string name, int succeed_on, int max_attempts) {
  StateGraph<Trace> g(std::move(name));
  g.add_node("n", CountsAttempts{.succeed_on = succeed_on},
             NodeOptions{.retry = {.max_attempts = max_attempts, .initial_backoff = 1ms}})
      .set_entry("n")
      .add_edge("n", kEndNode);
  return g;
}

TEST_F(RunnerTest, ASalvageKeepsWhatFailedAttemptsRecorded) {
  auto plain = counting_graph("drops-failed-attempts", /*succeed_on=*/3, /*max_attempts=*/3);
  EXPECT_EQ(run(compile(plain)).state.counter, 1) << "without a salvage, only the last attempt";

  auto kept = counting_graph("salvages-failed-attempts", 3, 3);
  kept.set_salvage(keep_counter);
  auto r = run(compile(kept));
  EXPECT_EQ(r.status, RunStatus::completed);
  EXPECT_EQ(r.state.counter, 3) << "each attempt started from what the failed ones left";
  EXPECT_EQ(r.state.visited, (std::vector<std::string>{"counted"})) << "the rest is dropped";
}

TEST_F(RunnerTest, AFailedRunsStateHoldsWhatItsAttemptsSalvaged) {
  auto g = counting_graph("fails-with-salvage", /*succeed_on=*/0, /*max_attempts=*/2);
  g.set_salvage(keep_counter);
  auto r = run(compile(g));
  EXPECT_EQ(r.status, RunStatus::failed);
  EXPECT_EQ(r.state.counter, 2);
  EXPECT_TRUE(r.state.visited.empty());
}

TEST_F(RunnerTest, AFailedSubgraphHandsOnWhatItReachedAndSalvaged) {
  StateGraph<Trace> inner("inner-salvage");
  inner.add_node("first", [](Trace& t) { ++t.counter; })
      .add_node("fails", CountsAttempts{.succeed_on = 0},
                NodeOptions{.retry = {.max_attempts = 2, .initial_backoff = 1ms}})
      .set_entry("first")
      .add_edge("first", "fails")
      .add_edge("fails", kEndNode)
      .set_salvage(keep_counter);
  StateGraph<Trace> outer("outer-salvage");
  outer.add_subgraph("sub", compile(inner))
      .set_entry("sub")
      .add_edge("sub", kEndNode)
      .set_salvage(keep_counter);
  auto r = run(compile(outer));
  EXPECT_EQ(r.status, RunStatus::failed);
  EXPECT_EQ(r.state.counter, 3) << "the inner step that finished and both failed attempts";
}

TEST_F(RunnerTest, ASubgraphAddsNoCopyOfTheState) {
  using runner_test::CopyCounted;
  const auto bump = [](CopyCounted& s) { ++s.value; };
  const auto copies_of = [&](const StateGraph<CopyCounted>& g) {
    CopyCounted::copies = 0;
    auto r = runner_.invoke(compile(g), CopyCounted{});
    EXPECT_TRUE(r && r.value().status == RunStatus::completed && r.value().state.value == 2);
    return CopyCounted::copies.load();
  };
  StateGraph<CopyCounted> flat("flat-pair");
  flat.add_node("a", bump).add_node("b", bump).set_entry("a").add_edge("a", "b").add_edge("b",
                                                                                          kEndNode);
  StateGraph<CopyCounted> inner("inner-b");
  inner.add_node("b", bump).set_entry("b").add_edge("b", kEndNode);
  StateGraph<CopyCounted> nested("nested-pair");
  nested.add_node("a", bump)
      .add_subgraph("sub", compile(inner))
      .set_entry("a")
      .add_edge("a", "sub")
      .add_edge("sub", kEndNode);
  EXPECT_EQ(copies_of(nested), copies_of(flat))
      << "the subgraph's node copies the state for its attempt; the subgraph itself need not";
}

TEST_F(RunnerTest, AFailedSubgraphThatChangedNothingHandsTheSalvageACopy) {
  StateGraph<Trace> inner("fails-at-once");
  inner.add_node("n", [](Trace&) -> result<void> { return fail(errc::invalid_argument, "no"); })
      .set_entry("n")
      .add_edge("n", kEndNode);
  bool distinct = false;
  StateGraph<Trace> outer("salvages-nothing-reached");
  outer.add_subgraph("sub", compile(inner))
      .set_entry("sub")
      .add_edge("sub", kEndNode)
      .set_salvage([&](Trace& state, const Trace& failed) {
        distinct = &state != &failed;
        state.visited.push_back("salvaged");
      });
  auto r = run(compile(outer));
  EXPECT_EQ(r.status, RunStatus::failed);
  EXPECT_TRUE(distinct) << "the salvage's two states are never one object";
  EXPECT_EQ(r.state.visited, (std::vector<std::string>{"salvaged"}));
}

// The subgraph shares the run's state rather than copying it; a sibling branch's salvage changes
// the run's state meanwhile, and the subgraph's node, retried after that, must still start from
// the state the subgraph began with.
TEST_F(RunnerTest, ASubgraphKeepsItsStateWhileASiblingsSalvageChangesTheRuns) {
  auto tries = std::make_shared<std::atomic<int>>(0);
  auto seen_counter = std::make_shared<std::atomic<int>>(-1);
  auto salvaged = std::make_shared<std::atomic<bool>>(false);
  StateGraph<Trace> inner("retries-later");
  inner
      .add_node(
          "late",
          [tries, seen_counter, salvaged](Trace& t) -> result<void> {
            if (++*tries == 1) {
              // Fails only once the sibling's failure was salvaged, so the retry starts after it.
              for (int i = 0; i < 500 && !*salvaged; ++i)
                std::this_thread::sleep_for(10ms);
              return fail(errc::upstream_unavailable, "not yet");
            }
            *seen_counter = t.counter;
            t.visited.push_back("late");
            return ok();
          },
          NodeOptions{.retry = {.max_attempts = 2, .initial_backoff = 1ms}})
      .set_entry("late")
      .add_edge("late", kEndNode);
  StateGraph<Trace> outer("shares-with-a-sibling");
  outer.add_node("start", Visit{"start"})
      .add_subgraph("sub", compile(inner))
      .add_node("sibling", CountsAttempts{.succeed_on = 2},
                NodeOptions{.retry = {.max_attempts = 2, .initial_backoff = 1ms}})
      .set_entry("start")
      .add_edge("start", "sub")
      .add_edge("start", "sibling")
      .add_edge("sub", kEndNode)
      .add_edge("sibling", kEndNode)
      .set_reducer(testing::merge_traces)
      .set_salvage([salvaged](Trace& state, const Trace& failed) {
        keep_counter(state, failed);
        *salvaged = true;
      });
  auto r = run(compile(outer));
  EXPECT_EQ(r.status, RunStatus::completed);
  EXPECT_TRUE(salvaged->load());
  EXPECT_EQ(tries->load(), 2);
  EXPECT_EQ(seen_counter->load(), 0) << "the sibling's salvage reached into the subgraph";
  EXPECT_EQ(r.state.counter, 2) << "the sibling's two attempts";
}

TEST_F(RunnerTest, APlainFunctionStillRunningPastItsTimeoutIsNotSalvaged) {
  auto release = std::make_shared<std::promise<void>>();
  auto released = release->get_future().share();
  StateGraph<Trace> g("still-running");
  g.add_node(
       "slow",
       [released](Trace& t) {
         t.counter = 7;
         released.wait();
       },
       NodeOptions{.timeout = 50ms})
      .set_entry("slow")
      .add_edge("slow", kEndNode)
      .set_salvage(keep_counter);
  auto r = run(compile(g));
  release->set_value();
  EXPECT_EQ(r.status, RunStatus::failed);
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->code, errc::timeout);
  EXPECT_EQ(r.state.counter, 0) << "its copy was not read while the function still had it";
}

TEST_F(RunnerTest, ASalvageThatThrowsLeavesTheStateAsItWas) {
  auto g = counting_graph("salvage-throws", /*succeed_on=*/2, /*max_attempts=*/2);
  g.set_salvage([](Trace&, const Trace&) { throw std::runtime_error("salvage bug"); });
  auto r = run(compile(g));
  EXPECT_EQ(r.status, RunStatus::completed);
  EXPECT_EQ(r.state.counter, 1);
}

TEST_F(RunnerTest, AnExceptionInANodeBecomesAnInternalError) {
  StateGraph<Trace> g("throws");
  g.add_node("boom", [](Trace&) { throw std::runtime_error("kaboom"); });
  g.set_entry("boom").add_edge("boom", kEndNode);
  auto r = run(compile(g));
  EXPECT_EQ(r.status, RunStatus::failed);
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->code, errc::internal);
  EXPECT_NE(r.error->message.find("kaboom"), std::string::npos);
}

TEST_F(RunnerTest, RetriesFollowTheBackoffThenSucceed) {
  std::atomic<int> calls{0};
  StateGraph<Trace> g("flaky");
  NodeOptions options{
      .retry = {
          .max_attempts = 4, .initial_backoff = 20ms, .multiplier = 2.0, .max_backoff = 50ms}};
  g.add_node(
      "flaky",
      [&](Trace& t) -> result<void> {
        if (++calls < 3)
          return fail(errc::upstream_unavailable, "try again");
        t.visited.push_back("flaky");
        return ok();
      },
      options);
  g.set_entry("flaky").add_edge("flaky", kEndNode);
  auto r = run(compile(g));
  EXPECT_EQ(r.status, RunStatus::completed);
  EXPECT_EQ(calls.load(), 3);
  std::vector<std::chrono::milliseconds> delays;
  for (auto& e : log_.of(r.run_id)) {
    if (e.type == EventType::node_retried) {
      delays.push_back(e.delay);
      EXPECT_EQ(e.error, errc::upstream_unavailable);
    }
  }
  ASSERT_EQ(delays.size(), 2u);
  EXPECT_LE(delays[0], options.retry.backoff_bound(1));
  EXPECT_LE(delays[1], options.retry.backoff_bound(2));
  EXPECT_EQ(log_.script(r.run_id),
            "run_started node_started:flaky node_failed:flaky node_retried:flaky "
            "node_started:flaky node_failed:flaky node_retried:flaky node_started:flaky "
            "node_finished:flaky completed");
}

TEST_F(RunnerTest, RetriesStopAtANonRetryableError) {
  std::atomic<int> calls{0};
  StateGraph<Trace> g("stops");
  g.add_node(
      "n",
      [&](Trace&) -> result<void> {
        return ++calls == 1 ? fail(errc::rate_limited, "slow down")
                            : fail(errc::content_filtered, "refused");
      },
      NodeOptions{.retry = {.max_attempts = 5, .initial_backoff = 1ms}});
  g.set_entry("n").add_edge("n", kEndNode);
  auto r = run(compile(g));
  EXPECT_EQ(r.status, RunStatus::failed);
  EXPECT_EQ(calls.load(), 2);
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->code, errc::content_filtered);
  EXPECT_EQ(*r.error->details.find("attempts"), json::Value(2));
}

TEST_F(RunnerTest, RetriesStopWhenAttemptsRunOut) {
  std::atomic<int> calls{0};
  StateGraph<Trace> g("gives-up");
  g.add_node(
      "n",
      [&](Trace&) -> result<void> {
        ++calls;
        return fail(errc::timeout, "slow");
      },
      NodeOptions{.retry = {.max_attempts = 3, .initial_backoff = 1ms}});
  g.set_entry("n").add_edge("n", kEndNode);
  auto r = run(compile(g));
  EXPECT_EQ(r.status, RunStatus::failed);
  EXPECT_EQ(calls.load(), 3);
}

TEST_F(RunnerTest, ANodeTimeoutCancelsTheAttempt) {
  StateGraph<Trace> g("timeout");
  g.add_node("slow", Sleep{"slow", 30s}, NodeOptions{.timeout = 50ms});
  g.set_entry("slow").add_edge("slow", kEndNode);
  const auto began = std::chrono::steady_clock::now();
  auto r = run(compile(g));
  EXPECT_LT(std::chrono::steady_clock::now() - began, 5s);
  EXPECT_EQ(r.status, RunStatus::failed);
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->code, errc::timeout);
  EXPECT_NE(r.error->message.find("timed out after 50 ms"), std::string::npos);
}

TEST_F(RunnerTest, ARunDeadlineCancelsIt) {
  StateGraph<Trace> g("deadline");
  g.add_node("a", Sleep{"a", 30ms}).add_node("b", Sleep{"b", 30s});
  g.set_entry("a").add_edge("a", "b").add_edge("b", kEndNode);
  const auto began = std::chrono::steady_clock::now();
  auto r = run(compile(g), {}, RunOptions{.deadline = 200ms});
  EXPECT_LT(std::chrono::steady_clock::now() - began, 5s);
  EXPECT_EQ(r.status, RunStatus::cancelled);
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->code, errc::timeout);
  EXPECT_EQ(r.state.visited, (std::vector<std::string>{"a"}));
}

// The run's timeouts share one timer, armed for the earliest: a short timeout after a long one
// must still bring it forward.
TEST_F(RunnerTest, AShortTimeoutAfterALongOneStillFiresOnTime) {
  StateGraph<Trace> g("short-after-long");
  g.add_node("quick", Visit{"quick"}, NodeOptions{.timeout = 60s})
      .add_node("slow", Sleep{"slow", 30s}, NodeOptions{.timeout = 50ms});
  g.set_entry("quick").add_edge("quick", "slow").add_edge("slow", kEndNode);
  const auto began = std::chrono::steady_clock::now();
  auto r = run(compile(g), {}, RunOptions{.deadline = 120s});
  EXPECT_LT(std::chrono::steady_clock::now() - began, 5s);
  EXPECT_EQ(r.status, RunStatus::failed);
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->code, errc::timeout);
  EXPECT_NE(r.error->message.find("\"slow\" timed out after 50 ms"), std::string::npos);
  EXPECT_EQ(r.state.visited, (std::vector<std::string>{"quick"}));
}

// All runs share the runner's one timer: a run whose timeout comes before that of a run already
// waiting must bring it forward.
TEST_F(RunnerTest, ARunsTimeoutBeforeAnotherRunsStillFiresOnTime) {
  StateGraph<Trace> g("shared-timer");
  g.add_node("slow", Sleep{"slow", 30s}, NodeOptions{.timeout = 20s});
  g.set_entry("slow").add_edge("slow", kEndNode);
  auto long_wait = compile(g);
  StateGraph<Trace> h("shared-timer-short");
  h.add_node("slow", Sleep{"slow", 30s}, NodeOptions{.timeout = 50ms});
  h.set_entry("slow").add_edge("slow", kEndNode);
  auto short_wait = compile(h);

  std::thread caller;
  auto first = start_until(long_wait, "r-long", "slow", caller);
  const auto began = std::chrono::steady_clock::now();
  auto r = run(short_wait);
  EXPECT_LT(std::chrono::steady_clock::now() - began, 5s);
  EXPECT_EQ(r.status, RunStatus::failed);
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->code, errc::timeout);

  ASSERT_TRUE(runner_.cancel("r-long"));
  auto ended = first.get();
  caller.join();
  ASSERT_TRUE(ended);
  EXPECT_EQ(ended.value().status, RunStatus::cancelled);
}

// The watchdog takes the run's deadline up with the first attempt, together with the attempt's
// own, later, timeout: the earlier of the two must win.
TEST_F(RunnerTest, ARunDeadlineEarlierThanTheNodesTimeoutsStillStopsIt) {
  StateGraph<Trace> g("deadline-first");
  g.add_node("slow", Sleep{"slow", 30s}, NodeOptions{.timeout = 60s});
  g.set_entry("slow").add_edge("slow", kEndNode);
  const auto began = std::chrono::steady_clock::now();
  auto r = run(compile(g), {}, RunOptions{.deadline = 100ms});
  EXPECT_LT(std::chrono::steady_clock::now() - began, 5s);
  EXPECT_EQ(r.status, RunStatus::cancelled);
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->code, errc::timeout);
}

// A timeout whose node finished in time stops nothing when it comes due: the node running then
// keeps its own, later, timeout.
TEST_F(RunnerTest, ATimeoutThatComesDueAfterItsNodeFinishedStopsNothing) {
  StateGraph<Trace> g("due-after-done");
  g.add_node("quick", Visit{"quick"}, NodeOptions{.timeout = 30ms})
      .add_node("steady", Sleep{"steady", 150ms}, NodeOptions{.timeout = 10s});
  g.set_entry("quick").add_edge("quick", "steady").add_edge("steady", kEndNode);
  auto r = run(compile(g));
  EXPECT_EQ(r.status, RunStatus::completed);
  EXPECT_EQ(r.state.visited, (std::vector<std::string>{"quick", "steady"}));
}

// Hangs on its first attempt; later attempts answer at once, failing with `then_fail` if set.
struct HangsOnce {
  std::shared_ptr<std::atomic<int>> calls;
  std::optional<errc> then_fail{};
  Task<result<void>> operator()(Trace& t, NodeContext& ctx) const {
    if (++*calls == 1)
      return sleep_then_visit(t, ctx, "hangs-once", 30s);
    if (then_fail)
      return fail_now(*then_fail);
    return sleep_then_visit(t, ctx, "hangs-once", 0ms);
  }
  static Task<result<void>> fail_now(errc code) { co_return fail(code, "refused"); }
};

TEST_F(RunnerTest, ARetriedAttemptGetsATimeoutOfItsOwn) {
  auto calls = std::make_shared<std::atomic<int>>(0);
  StateGraph<Trace> g("retried-timeout");
  g.add_node("n", HangsOnce{calls},
             NodeOptions{.retry = {.max_attempts = 2, .initial_backoff = 1ms}, .timeout = 50ms});
  g.set_entry("n").add_edge("n", kEndNode);
  auto r = run(compile(g));
  EXPECT_EQ(r.status, RunStatus::completed);
  EXPECT_EQ(calls->load(), 2);
  EXPECT_EQ(log_.script(r.run_id),
            "run_started node_started:n node_failed:n node_retried:n node_started:n "
            "node_finished:n completed");
}

// The attempt after a timed-out one fails for its own reason, which is what the run reports.
TEST_F(RunnerTest, AFailureAfterATimedOutAttemptKeepsItsOwnCause) {
  auto calls = std::make_shared<std::atomic<int>>(0);
  StateGraph<Trace> g("cause-after-timeout");
  g.add_node("n", HangsOnce{calls, errc::content_filtered},
             NodeOptions{.retry = {.max_attempts = 2, .initial_backoff = 1ms}, .timeout = 50ms});
  g.set_entry("n").add_edge("n", kEndNode);
  auto r = run(compile(g));
  EXPECT_EQ(r.status, RunStatus::failed);
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->code, errc::content_filtered);
}

TEST_F(RunnerTest, CancellingARunThatWaitsOnASlowNodeEndsItPromptly) {
  StateGraph<Trace> g("cancel");
  g.add_node("a", Visit{"a"}).add_node("slow", Sleep{"slow", 30s});
  g.set_entry("a").add_edge("a", "slow").add_edge("slow", kEndNode);
  auto compiled = compile(g);
  // Wait until the slow node is running, then cancel.
  std::thread caller;
  auto done = start_until(compiled, "r-cancel", "slow", caller);
  const auto began = std::chrono::steady_clock::now();
  ASSERT_TRUE(runner_.cancel("r-cancel"));
  auto r = done.get();
  const auto took = std::chrono::steady_clock::now() - began;
  caller.join();
  ASSERT_TRUE(r);
  EXPECT_EQ(r.value().status, RunStatus::cancelled);
  EXPECT_EQ(r.value().error->code, errc::cancelled);
  EXPECT_EQ(r.value().state.visited, (std::vector<std::string>{"a"}));
  EXPECT_LT(took, 5s);  // the node would have slept 30 s
  EXPECT_EQ(runner_.cancel("r-cancel").error().code, errc::not_found);
  // A cancelled run can be recovered: the slow node runs again (and is cancelled again here).
}

TEST_F(RunnerTest, TheStepLimitStopsAnEndlessCycle) {
  StateGraph<Trace> g("forever");
  g.add_node("spin", [](Trace& t) { ++t.counter; });
  g.set_entry("spin").add_conditional_edges("spin", [](const Trace&) { return "spin"; },
                                            {"spin", kEndNode});
  auto r = run(compile(g), {}, RunOptions{.step_limit = 25});
  EXPECT_EQ(r.status, RunStatus::failed);
  EXPECT_EQ(r.state.counter, 25);
  EXPECT_NE(r.error->message.find("step limit of 25"), std::string::npos);
}

// An approval gate: the node interrupts until it is given an answer.
Task<result<void>> approval_gate(Trace& t, NodeContext& ctx) {
  if (const json::Value* answer = ctx.resume_value()) {
    t.answer = *answer->if_string();
    t.visited.push_back("gate");
    co_return ok();
  }
  json::Value question;
  question.set("question", "approve?");
  ctx.interrupt(std::move(question));
  t.visited.push_back("discarded");  // changes of an interrupting attempt are dropped
  co_return ok();
}

TEST_F(RunnerTest, InterruptParksTheRunAndResumeContinuesIt) {
  StateGraph<Trace> g("approval");
  g.add_node("plan", Visit{"plan"}).add_node("gate", approval_gate).add_node("act", Visit{"act"});
  g.set_entry("plan").add_edge("plan", "gate").add_edge("gate", "act").add_edge("act", kEndNode);
  auto compiled = compile(g);
  auto first = run(compiled);
  EXPECT_EQ(first.status, RunStatus::interrupted);
  ASSERT_EQ(first.interrupts.size(), 1u);
  EXPECT_EQ(first.interrupts[0].node, "gate");
  EXPECT_EQ(*first.interrupts[0].payload.find("question"), json::Value("approve?"));
  EXPECT_EQ(first.state.visited, (std::vector<std::string>{"plan"}));

  auto second = runner_.resume_sync(compiled, first.run_id, json::Value("yes"));
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(second.value().status, RunStatus::completed);
  EXPECT_EQ(second.value().state.visited, (std::vector<std::string>{"plan", "gate", "act"}));
  EXPECT_EQ(second.value().state.answer, "yes");

  // The run is over: neither resume nor recover applies.
  EXPECT_EQ(runner_.resume_sync(compiled, first.run_id, json::Value("again")).error().code,
            errc::conflict);
  EXPECT_EQ(runner_.recover_sync(compiled, first.run_id).error().code, errc::conflict);
}

TEST_F(RunnerTest, ResumeChecksTheRunAndTheGraph) {
  StateGraph<Trace> g("approval2");
  g.add_node("gate", approval_gate).set_entry("gate").add_edge("gate", kEndNode);
  auto compiled = compile(g);
  EXPECT_EQ(runner_.resume_sync(compiled, "no-such-run", json::Value(1)).error().code,
            errc::not_found);
  auto parked = run(compiled);
  ASSERT_EQ(parked.status, RunStatus::interrupted);
  EXPECT_EQ(runner_.recover_sync(compiled, parked.run_id).error().code, errc::conflict);
  EXPECT_EQ(
      runner_.resume_sync(compiled, parked.run_id, json::Value("x"), "elsewhere").error().code,
      errc::invalid_argument);
  StateGraph<Trace> other("another-graph");
  other.add_node("gate", approval_gate).set_entry("gate").add_edge("gate", kEndNode);
  EXPECT_EQ(runner_.resume_sync(compile(other), parked.run_id, json::Value("x")).error().code,
            errc::invalid_argument);
}

TEST_F(RunnerTest, ARunIdCannotBeReused) {
  StateGraph<Trace> g("once");
  g.add_node("a", Visit{"a"}).set_entry("a").add_edge("a", kEndNode);
  auto compiled = compile(g);
  run(compiled, {}, {.run_id = "fixed-id"});
  auto again = runner_.invoke(compiled, Trace{}, {.run_id = "fixed-id"});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, errc::conflict);
}

TEST_F(RunnerTest, AParallelBranchFinishesBesideAnInterruptedOne) {
  // The plan gate opens while the read-only diagnosis goes on; the next step waits for both.
  StateGraph<Trace> g("beside");
  g.add_node("route", Visit{"route"});
  g.add_node("diagnose", Sleep{"diagnose", 20ms});
  g.add_node("gate", approval_gate);
  g.add_node("automate", Visit{"automate"});
  g.set_entry("route").add_edge("route", "diagnose").add_edge("route", "gate");
  g.add_join({"diagnose", "gate"}, "automate").add_edge("automate", kEndNode);
  g.set_reducer(testing::merge_traces);
  auto compiled = compile(g);
  auto parked = run(compiled);
  ASSERT_EQ(parked.status, RunStatus::interrupted);
  EXPECT_EQ(parked.state.visited, (std::vector<std::string>{"route", "diagnose"}));
  auto done = runner_.resume_sync(compiled, parked.run_id, json::Value("approved"));
  ASSERT_TRUE(done) << done.error().message;
  EXPECT_EQ(done.value().status, RunStatus::completed);
  EXPECT_EQ(done.value().state.visited,
            (std::vector<std::string>{"route", "diagnose", "gate", "automate"}));
  // The diagnosis ran once: it finished before the interrupt and was not repeated.
  int diagnoses = 0;
  for (auto& e : log_.of(parked.run_id)) {
    diagnoses += e.type == EventType::node_started && e.node == "diagnose";
  }
  EXPECT_EQ(diagnoses, 1);
}

TEST_F(RunnerTest, AFailedBranchCancelsItsSiblings) {
  StateGraph<Trace> g("sibling");
  g.add_node("start", Visit{"start"});
  g.add_node("slow", Sleep{"slow", 30s});
  g.add_node("broken", [](Trace&) -> result<void> { return fail(errc::bad_response, "garbled"); });
  g.set_entry("start").add_edge("start", "slow").add_edge("start", "broken");
  g.add_edge("slow", kEndNode).add_edge("broken", kEndNode);
  g.set_reducer(testing::merge_traces);
  const auto began = std::chrono::steady_clock::now();
  auto r = run(compile(g));
  EXPECT_LT(std::chrono::steady_clock::now() - began, 5s);
  EXPECT_EQ(r.status, RunStatus::failed);
  EXPECT_EQ(r.error->code, errc::bad_response);  // the cause, not the sibling's cancellation
}

TEST_F(RunnerTest, RecoverRetriesAFailedRunFromItsFailedStep) {
  std::atomic<bool> healthy{false};
  StateGraph<Trace> g("recover");
  g.add_node("a", Visit{"a"});
  g.add_node("b", [&](Trace& t) -> result<void> {
    if (!healthy)
      return fail(errc::storage, "disk full");
    t.visited.push_back("b");
    return ok();
  });
  g.set_entry("a").add_edge("a", "b").add_edge("b", kEndNode);
  auto compiled = compile(g);
  auto failed = run(compiled);
  ASSERT_EQ(failed.status, RunStatus::failed);
  healthy = true;
  auto recovered = runner_.recover_sync(compiled, failed.run_id);
  ASSERT_TRUE(recovered) << recovered.error().message;
  EXPECT_EQ(recovered.value().status, RunStatus::completed);
  EXPECT_EQ(recovered.value().state.visited, (std::vector<std::string>{"a", "b"}));
}

TEST_F(RunnerTest, CheckpointsAreWrittenAfterEveryStep) {
  StateGraph<Trace> g("durable");
  g.add_node("a", Visit{"a"}).add_node("b", Visit{"b"}).add_node("c", Visit{"c"});
  g.set_entry("a").add_edge("a", "b").add_edge("b", "c").add_edge("c", kEndNode);
  auto r = run(compile(g), {}, {.run_id = "durable-1"});
  auto history = store_->history("durable-1", 100);
  ASSERT_TRUE(history);
  // The first (before any step), one after each step another follows, and the final one (the
  // last step's own would be overwritten at once).
  ASSERT_EQ(history.value().size(), 4u);
  for (std::size_t i = 0; i < history.value().size(); ++i) {
    EXPECT_EQ(history.value()[i].step, i + 1);
    EXPECT_EQ(history.value()[i].graph, "durable");
  }
  EXPECT_NE(history.value()[1].data.find("\"visited\":[\"a\"]"), std::string::npos);
  EXPECT_NE(history.value()[2].data.find("\"visited\":[\"a\",\"b\"]"), std::string::npos);
  EXPECT_NE(history.value()[3].data.find("\"status\":\"completed\""), std::string::npos);
  EXPECT_NE(history.value()[3].data.find("\"visited\":[\"a\",\"b\",\"c\"]"), std::string::npos);
}

TEST_F(RunnerTest, WithoutACheckpointAtStartTheFirstFollowsTheFirstStep) {
  for (const bool at_start : {true, false}) {
    const std::string id = at_start ? "start-saved" : "start-unsaved";
    std::size_t saved_while_first_ran = 99;
    StateGraph<Trace> g("late-first");
    g.add_node("a", [&](Trace& t) -> result<void> {
      saved_while_first_ran = store_->history(id, 100).value().size();
      t.visited.push_back("a");
      return ok();
    });
    g.add_node("b", Visit{"b"});
    g.set_entry("a").add_edge("a", "b").add_edge("b", kEndNode);
    auto r = run(compile(g), {}, {.run_id = id, .checkpoint_at_start = at_start});
    EXPECT_EQ(r.status, RunStatus::completed);
    auto history = store_->history(id, 100);
    ASSERT_TRUE(history);
    EXPECT_EQ(saved_while_first_ran, at_start ? 1u : 0u) << id;
    // Without the one before the first step: the one after it, then the final one.
    ASSERT_EQ(history.value().size(), at_start ? 3u : 2u) << id;
    const auto& first = history.value().front();
    EXPECT_EQ(first.step, 1u);
    EXPECT_NE(first.data.find(at_start ? "\"visited\":[]" : "\"visited\":[\"a\"]"),
              std::string::npos)
        << first.data;
  }
}

TEST_F(RunnerTest, ARunIdReusedWithoutACheckpointAtStartFailsAtItsFirstCheckpoint) {
  StateGraph<Trace> g("once-late");
  g.add_node("a", Visit{"a"}).add_node("b", Visit{"b"});
  g.set_entry("a").add_edge("a", "b").add_edge("b", kEndNode);
  auto compiled = compile(g);
  run(compiled, {}, {.run_id = "taken-id"});
  auto again =
      runner_.invoke(compiled, Trace{}, {.run_id = "taken-id", .checkpoint_at_start = false});
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again.value().status, RunStatus::failed);
  ASSERT_TRUE(again.value().error);
  EXPECT_EQ(again.value().error->code, errc::conflict);
  EXPECT_EQ(again.value().state.visited, (std::vector<std::string>{"a"}));
  // The first run's record stands.
  auto latest = store_->latest("taken-id");
  ASSERT_TRUE(latest && latest.value());
  EXPECT_NE(latest.value()->data.find("\"status\":\"completed\""), std::string::npos);
}

TEST_F(RunnerTest, AQuickNodeIsSavedWithTheNextCheckpoint) {
  StateGraph<Trace> g("quick");
  g.add_node("a", Visit{"a"})
      .add_node("q", Visit{"q"}, NodeOptions{.checkpoint = false})
      .add_node("b", Visit{"b"})
      .add_node("c", Visit{"c"});
  g.set_entry("a").add_edge("a", "q").add_edge("q", "b").add_edge("b", "c").add_edge("c", kEndNode);
  auto compiled = compile(g);
  run(compiled, {}, {.run_id = "quick-1"});
  auto history = store_->history("quick-1", 100);
  ASSERT_TRUE(history);
  // First, after a, (not after q), after b, final.
  ASSERT_EQ(history.value().size(), 4u);
  EXPECT_NE(history.value()[1].data.find("\"visited\":[\"a\"]"), std::string::npos);
  EXPECT_NE(history.value()[2].data.find("\"visited\":[\"a\",\"q\",\"b\"]"), std::string::npos);

  // A quick node beside one that asks for a checkpoint is saved in that step's.
  StateGraph<Trace> fan("quick-fan");
  fan.add_node("start", Visit{"start"})
      .add_node("q", Visit{"q"}, NodeOptions{.checkpoint = false})
      .add_node("slow", Visit{"slow"})
      .add_node("end", Visit{"end"})
      .set_entry("start")
      .add_edge("start", "q")
      .add_edge("start", "slow")
      .add_join({"q", "slow"}, "end")
      .add_edge("end", kEndNode);
  fan.set_reducer(testing::merge_traces);
  run(compile(fan), {}, {.run_id = "quick-2"});
  auto fanned = store_->history("quick-2", 100);
  ASSERT_TRUE(fanned);
  ASSERT_EQ(fanned.value().size(), 4u);  // first, after start, after q+slow, final
  EXPECT_NE(fanned.value()[2].data.find("\"q\""), std::string::npos);
}

TEST(RunnerOptionsTest, ACompletedRunLeavesNoCheckpointsWhenNotKept) {
  auto store = std::make_shared<store::MemoryStore>();
  Runner runner(RunnerOptions{
      .io_threads = 1, .blocking_threads = 1, .checkpointer = store, .keep_completed_runs = false});
  StateGraph<Trace> g("forgotten");
  g.add_node("plan", Visit{"plan"}).add_node("gate", approval_gate).add_node("act", Visit{"act"});
  g.set_entry("plan").add_edge("plan", "gate").add_edge("gate", "act").add_edge("act", kEndNode);
  auto compiled = std::move(g.compile()).value();

  auto parked = runner.invoke(compiled, Trace{}, {.run_id = "forgotten-1"});
  ASSERT_TRUE(parked) << parked.error().message;
  ASSERT_EQ(parked.value().status, RunStatus::interrupted);
  auto kept = store->latest("forgotten-1");
  ASSERT_TRUE(kept && kept.value());  // an interrupted run is saved: it must be resumable
  EXPECT_NE(kept.value()->data.find("\"status\":\"interrupted\""), std::string::npos);

  auto done = runner.resume_sync(compiled, "forgotten-1", json::Value("yes"));
  ASSERT_TRUE(done) << done.error().message;
  EXPECT_EQ(done.value().status, RunStatus::completed);
  EXPECT_EQ(done.value().state.visited, (std::vector<std::string>{"plan", "gate", "act"}));
  auto gone = store->latest("forgotten-1");
  ASSERT_TRUE(gone);
  EXPECT_FALSE(gone.value().has_value());
}

TEST_F(RunnerTest, SubgraphsRunAsOneNode) {
  StateGraph<Trace> inner("inner");
  inner.add_node("x", Visit{"x"}).add_node("y", Sleep{"y", 1ms});
  inner.set_entry("x").add_edge("x", "y").add_edge("y", kEndNode);
  StateGraph<Trace> outer("outer");
  outer.add_node("a", Visit{"a"}).add_subgraph("sub", compile(inner)).add_node("z", Visit{"z"});
  outer.set_entry("a").add_edge("a", "sub").add_edge("sub", "z").add_edge("z", kEndNode);
  auto r = run(compile(outer));
  EXPECT_EQ(r.status, RunStatus::completed);
  EXPECT_EQ(r.state.visited, (std::vector<std::string>{"a", "x", "y", "z"}));
  EXPECT_EQ(r.steps, 3u);
  EXPECT_NE(log_.script(r.run_id).find("node_started:sub/x node_finished:sub/x"),
            std::string::npos);
}

TEST_F(RunnerTest, AnInterruptInsideASubgraphParksTheRun) {
  StateGraph<Trace> inner("inner-gate");
  inner.add_node("prep", Visit{"prep"}).add_node("gate", approval_gate);
  inner.set_entry("prep").add_edge("prep", "gate").add_edge("gate", kEndNode);
  StateGraph<Trace> outer("outer-gate");
  outer.add_subgraph("review", compile(inner)).add_node("ship", Visit{"ship"});
  outer.set_entry("review").add_edge("review", "ship").add_edge("ship", kEndNode);
  auto compiled = compile(outer);
  auto parked = run(compiled);
  ASSERT_EQ(parked.status, RunStatus::interrupted);
  ASSERT_EQ(parked.interrupts.size(), 1u);
  EXPECT_EQ(parked.interrupts[0].node, "review/gate");
  auto done = runner_.resume_sync(compiled, parked.run_id, json::Value("ok"));
  ASSERT_TRUE(done) << done.error().message;
  EXPECT_EQ(done.value().status, RunStatus::completed);
  EXPECT_EQ(done.value().state.visited, (std::vector<std::string>{"prep", "gate", "ship"}));
  EXPECT_EQ(done.value().state.answer, "ok");
}

TEST_F(RunnerTest, ATimeoutOnASubgraphCancelsItsInnerNodes) {
  StateGraph<Trace> inner("inner-slow");
  inner.add_node("slow", Sleep{"slow", 30s}).set_entry("slow").add_edge("slow", kEndNode);
  StateGraph<Trace> outer("outer-slow");
  outer.add_subgraph("sub", compile(inner), NodeOptions{.timeout = 50ms});
  outer.set_entry("sub").add_edge("sub", kEndNode);
  const auto began = std::chrono::steady_clock::now();
  auto r = run(compile(outer));
  EXPECT_LT(std::chrono::steady_clock::now() - began, 5s);
  EXPECT_EQ(r.status, RunStatus::failed);
  EXPECT_EQ(r.error->code, errc::timeout);
}

TEST_F(RunnerTest, AnObserverThatThrowsDoesNotBreakTheRun) {
  runner_.add_observer([](const Event&) { throw std::runtime_error("observer bug"); });
  StateGraph<Trace> g("observed");
  g.add_node("a", Visit{"a"}).set_entry("a").add_edge("a", kEndNode);
  EXPECT_EQ(run(compile(g)).status, RunStatus::completed);
}

TEST(RunnerStandaloneTest, LogsFailedRunsAndRetriesThroughItsLogger) {
  std::mutex mutex;
  std::vector<std::string> lines;
  auto logger = Logger::with_sink(LogLevel::info, [&](const LogRecord& r) {
    std::lock_guard lock(mutex);
    lines.push_back(format_logfmt(r));
  });
  Runner runner(RunnerOptions{.io_threads = 1, .blocking_threads = 1, .logger = logger});
  StateGraph<Trace> g("logged");
  g.add_node(
      "n", [](Trace&) -> result<void> { return fail(errc::upstream_unavailable, "llm down"); },
      NodeOptions{.retry = {.max_attempts = 2, .initial_backoff = 1ms}});
  g.set_entry("n").add_edge("n", kEndNode);
  auto r = runner.invoke(std::move(g.compile()).value(), Trace{});
  ASSERT_TRUE(r);
  EXPECT_EQ(r.value().status, RunStatus::failed);
  std::lock_guard lock(mutex);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_NE(lines[0].find("info graph msg=\"retrying node\""), std::string::npos) << lines[0];
  EXPECT_NE(lines[0].find("attempt=1"), std::string::npos) << lines[0];
  EXPECT_NE(lines[1].find("warn graph msg=\"run failed\""), std::string::npos) << lines[1];
  EXPECT_NE(lines[1].find("code=upstream_unavailable"), std::string::npos) << lines[1];
}

TEST(RunnerStandaloneTest, WorksWithoutACheckpointerForInterruptsInTheSameRunner) {
  Runner runner(RunnerOptions{.io_threads = 1, .blocking_threads = 1});
  StateGraph<Trace> g("memory-only");
  g.add_node("gate", approval_gate).set_entry("gate").add_edge("gate", kEndNode);
  auto compiled = std::move(g.compile()).value();
  auto parked = runner.invoke(compiled, Trace{});
  ASSERT_TRUE(parked);
  ASSERT_EQ(parked.value().status, RunStatus::interrupted);
  auto done = runner.resume_sync(compiled, parked.value().run_id, json::Value("fine"));
  ASSERT_TRUE(done);
  EXPECT_EQ(done.value().state.answer, "fine");
}

// Records the io thread it runs on, as its name.
struct RecordThread {
  Task<result<void>> operator()(Trace& t, NodeContext&) const {
    std::ostringstream id;
    id << std::this_thread::get_id();
    t.visited.push_back(id.str());
    co_return ok();
  }
};

TEST(RunnerStandaloneTest, RunsCanKeepTheirStepsOnOneThread) {
  Runner runner(
      RunnerOptions{.io_threads = 2, .blocking_threads = 1, .keep_runs_on_their_thread = true});
  StateGraph<Trace> g("one-thread");
  std::string previous;
  for (int i = 0; i < 20; ++i) {
    const auto name = "n" + std::to_string(i);
    g.add_node(name, RecordThread{});
    if (previous.empty())
      g.set_entry(name);
    else
      g.add_edge(previous, name);
    previous = name;
  }
  g.add_edge(previous, kEndNode);
  auto compiled = std::move(g.compile()).value();
  // Another io thread takes a run's next step only when it is already awake as the step is
  // queued: with the option, about once in five hundred runs; without it, one run in two or three.
  int hand_overs = 0;
  for (int run = 0; run < 50; ++run) {
    auto r = runner.invoke(compiled, Trace{});
    ASSERT_TRUE(r);
    const auto& threads = r.value().state.visited;
    ASSERT_EQ(threads.size(), 20u);
    for (std::size_t step = 1; step < threads.size(); ++step)
      hand_overs += threads[step] != threads[step - 1];
  }
  EXPECT_LE(hand_overs, 4);
}

}  // namespace
}  // namespace opsgraph::graph
