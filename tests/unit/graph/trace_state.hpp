#pragma once
// The state the graph tests run on: which nodes ran, in order, and a counter.

#include <algorithm>
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

}  // namespace opsgraph::graph::testing

template <>
struct opsgraph::json::Schema<opsgraph::graph::testing::Trace> {
  using Trace = opsgraph::graph::testing::Trace;
  static constexpr auto fields = std::make_tuple(json::field("visited", &Trace::visited),
                                                 json::field("counter", &Trace::counter),
                                                 json::optional_field("answer", &Trace::answer));
};
