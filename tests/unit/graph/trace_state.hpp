#pragma once
// The state the graph tests run on: which nodes ran, in order, and a counter.

#include <algorithm>
#include <atomic>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <opsgraph/core/json_codec.hpp>
#include <opsgraph/graph/node.hpp>
#include <string>
#include <vector>

namespace opsgraph::graph::testing {

struct Trace {
  std::vector<std::string> visited;
  int counter = 0;
  std::string answer;

  friend bool operator==(const Trace&, const Trace&) = default;
};

/// Parallel branches each append what they visited; the reducer keeps the union in graph order.
inline void merge_traces(Trace& into, Trace&& branch) {
  for (auto& v : branch.visited) {
    if (std::find(into.visited.begin(), into.visited.end(), v) == into.visited.end()) {
      into.visited.push_back(std::move(v));
    }
  }
  into.counter = std::max(into.counter, branch.counter);
  if (!branch.answer.empty())
    into.answer = std::move(branch.answer);
}

/// A plain node that records its name.
struct Visit {
  std::string name;
  void operator()(Trace& t) const { t.visited.push_back(name); }
};

/// A coroutine node body: waits on a timer for `delay`, then records `name`.
inline Task<result<void>> sleep_then_visit(Trace& t, NodeContext& ctx, std::string name,
                                           std::chrono::milliseconds delay) {
  boost::asio::steady_timer timer(ctx.executor(), delay);
  co_await timer.async_wait(boost::asio::use_awaitable);
  t.visited.push_back(std::move(name));
  co_return ok();
}

/// A coroutine node that sleeps: usable with add_node.
struct Sleep {
  std::string name;
  std::chrono::milliseconds delay;
  Task<result<void>> operator()(Trace& t, NodeContext& ctx) const {
    return sleep_then_visit(t, ctx, name, delay);
  }
};

/// How many nodes are awaiting at the same moment, and the most there ever were.
struct Waiters {
  std::atomic<int> now{0};
  std::atomic<int> peak{0};
};

/// A coroutine node body: counted in `waiters` while it awaits a 50 ms timer, then records
/// `name` and counts itself in the state.
inline Task<result<void>> counted_wait(Trace& t, NodeContext& ctx, std::string name,
                                       Waiters* waiters) {
  const int now = ++waiters->now;
  for (int peak = waiters->peak; now > peak && !waiters->peak.compare_exchange_weak(peak, now);) {
  }
  boost::asio::steady_timer timer(ctx.executor(), std::chrono::milliseconds{50});
  co_await timer.async_wait(boost::asio::use_awaitable);
  --waiters->now;
  t.visited.push_back(std::move(name));
  ++t.counter;
  co_return ok();
}

/// A coroutine node that waits while counted: usable with add_node.
struct CountedWait {
  std::string name;
  Waiters* waiters;
  Task<result<void>> operator()(Trace& t, NodeContext& ctx) const {
    return counted_wait(t, ctx, name, waiters);
  }
};

}  // namespace opsgraph::graph::testing

template <>
struct opsgraph::json::Schema<opsgraph::graph::testing::Trace> {
  using Trace = opsgraph::graph::testing::Trace;
  static constexpr auto fields = std::make_tuple(json::field("visited", &Trace::visited),
                                                 json::field("counter", &Trace::counter),
                                                 json::optional_field("answer", &Trace::answer));
};
