#include "graph/execute.hpp"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "graph/node_runner.hpp"

namespace opsgraph::graph::detail {

namespace asio = boost::asio;

namespace {

/// Counts parallel branches down; the step waits on its timer until the last one finishes.
struct Latch {
  Latch(const Executor& ex, std::size_t n)
      : timer(ex, asio::steady_timer::time_point::max()), remaining(n) {}
  asio::steady_timer timer;
  std::size_t remaining;
};

Task<void> run_branch(std::shared_ptr<ActiveRun> run, Frame* frame, std::size_t index,
                      NodeOutcome* out, std::shared_ptr<Latch> latch) {
  *out = co_await run_node(run, frame, index);
  if (out->kind == NodeOutcome::Kind::failed) {
    // Asio's operators do not cancel siblings on an error result: the step does it itself.
    cancel_within(*run, frame->prefix);
  }
  if (--latch->remaining == 0)
    latch->timer.cancel();
}

Task<std::vector<NodeOutcome>> run_nodes(std::shared_ptr<ActiveRun> run, Frame* frame,
                                         std::vector<std::size_t> nodes) {
  std::vector<NodeOutcome> outcomes(nodes.size());
  if (nodes.size() == 1) {
    outcomes[0] = co_await run_node(run, frame, nodes[0]);
    co_return outcomes;
  }
  auto latch = std::make_shared<Latch>(run->strand, nodes.size());
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    asio::co_spawn(run->strand, run_branch(run, frame, nodes[i], &outcomes[i], latch),
                   asio::detached);
  }
  while (latch->remaining > 0) {
    co_await latch->timer.async_wait(asio::as_tuple(asio::use_awaitable));
  }
  co_return outcomes;
}

void add_unique(std::vector<std::size_t>& list, std::size_t index) {
  if (index != kEndIndex && std::find(list.begin(), list.end(), index) == list.end()) {
    list.push_back(index);
  }
}

std::string quoted_list(const std::vector<std::string>& names) {
  std::string out;
  for (auto& n : names)
    out += (out.empty() ? "\"" : ", \"") + n + "\"";
  return out;
}

/// The nodes of the next step: plain edges, routers' choices and joins that are complete.
result<std::vector<std::size_t>> successors(Frame& frame) {
  const GraphSpec& g = *frame.graph;
  std::vector<std::size_t> next;
  for (auto n : frame.done) {
    const auto& routes = g.routes[n];
    for (auto t : routes.plain)
      add_unique(next, t);
    for (auto c : routes.conditional) {
      const auto& edge = g.conditional_edges[c];
      std::vector<std::string> chosen;
      try {
        chosen = edge.route(frame.state.get());
      } catch (...) {
        return error_from_current_exception("router after node \"" + g.nodes[n].name + "\"");
      }
      for (auto& name : chosen) {
        if (std::find(edge.targets.begin(), edge.targets.end(), name) == edge.targets.end()) {
          return fail(errc::invalid_argument,
                      "router after node \"" + g.nodes[n].name + "\" chose \"" + name +
                          "\", which is not among its targets (" + quoted_list(edge.targets) + ")");
        }
        add_unique(next, *g.find(name));
      }
    }
    for (auto j : routes.joins) {
      auto& arrived = frame.join_arrivals[j];
      add_unique(arrived, n);
      if (arrived.size() == g.joins[j].sources.size()) {
        add_unique(next, *g.find(g.joins[j].target));
        arrived.clear();
      }
    }
  }
  std::sort(next.begin(), next.end());
  if (next.size() > 1 && !g.reducer) {
    return fail(errc::invalid_argument,
                "graph \"" + g.name + "\" runs nodes in parallel but has no reducer");
  }
  return next;
}

bool wants_checkpoint(const GraphSpec& graph, const std::vector<std::size_t>& step) {
  return std::any_of(step.begin(), step.end(),
                     [&](std::size_t n) { return graph.nodes[n].options.checkpoint; });
}

/// Folds a finished node's state into the frame's. A node alone in its step simply replaces it.
void commit(Frame& frame, StatePtr state, bool alone) {
  if (alone) {
    frame.state = std::move(state);
  } else {
    frame.own_state();
    frame.graph->reducer(frame.state.get(), state.get());
  }
}

}  // namespace

void emit(ActiveRun& run, EventType type, std::string_view node, int attempt, const Error* error,
          std::chrono::milliseconds delay, const json::Value* payload) {
  ++run.event_seq;
  if (!run.env.observers || run.env.observers->empty())
    return;
  const bool in_step = type == EventType::node_started || type == EventType::node_finished ||
                       type == EventType::node_failed || type == EventType::node_retried ||
                       type == EventType::interrupted;
  Event event{.type = type,
              .seq = run.event_seq,
              .run_id = run.run_id,
              .graph = run.graph->name,
              .step = run.top.steps + (in_step ? 1 : 0),
              .node = node,
              .attempt = attempt,
              .at = run.env.clock->now(),
              .error = error,
              .delay = delay,
              .payload = payload};
  for (auto& observer : *run.env.observers) {
    try {
      observer(event);
    } catch (...) {
      // An observer's failure is its own; the run goes on.
    }
  }
}

void stop_run(ActiveRun& run, Error reason) {
  if (!run.stop_reason)
    run.stop_reason = std::move(reason);
  run.cancel_flag = true;
  cancel_within(run, "");
}

Task<FrameOutcome> execute_frame(std::shared_ptr<ActiveRun> run, Frame& frame, bool durable) {
  const GraphSpec& graph = *frame.graph;
  while (!frame.pending.empty()) {
    if (run->cancel_flag)
      co_return FrameOutcome{FrameEnd::failed, stop_error(*run, {})};
    if (frame.steps >= run->step_limit) {
      co_return FrameOutcome{
          FrameEnd::failed,
          make_error(errc::invalid_argument,
                     "graph \"" + graph.name + "\" reached its step limit of " +
                         std::to_string(run->step_limit) + " (a cycle that never ends?)")};
    }
    std::vector<std::size_t> to_run;
    for (auto n : frame.pending) {
      if (std::find(frame.done.begin(), frame.done.end(), n) == frame.done.end()) {
        to_run.push_back(n);
      }
    }
    frame.interrupts.clear();
    const bool alone = to_run.size() == 1 && frame.done.empty();
    auto outcomes = co_await run_nodes(run, &frame, to_run);

    std::optional<Error> failure;
    for (std::size_t i = 0; i < outcomes.size(); ++i) {
      auto& outcome = outcomes[i];
      switch (outcome.kind) {
        case NodeOutcome::Kind::finished:
          commit(frame, std::move(outcome.state), alone);
          frame.done.push_back(to_run[i]);
          break;
        case NodeOutcome::Kind::interrupted:
          frame.interrupts.push_back(std::move(outcome.interrupt));
          break;
        case NodeOutcome::Kind::failed:
          // Prefer the failure that caused the others' cancellation.
          if (!failure ||
              (failure->code == errc::cancelled && outcome.error.code != errc::cancelled)) {
            failure = std::move(outcome.error);
          }
          break;
      }
    }
    std::sort(frame.done.begin(), frame.done.end());
    if (run->stop_reason)
      failure = *run->stop_reason;
    if (failure)
      co_return FrameOutcome{FrameEnd::failed, std::move(failure)};
    if (!frame.interrupts.empty())
      co_return FrameOutcome{FrameEnd::interrupted, {}};

    auto next = successors(frame);
    if (!next)
      co_return FrameOutcome{FrameEnd::failed, std::move(next).error()};
    frame.pending = std::move(next).value();
    frame.done.clear();
    ++frame.steps;
    // After the last step the run saves its end at once; a step of quick nodes that opted out is
    // saved with the next checkpoint.
    if (durable && !frame.pending.empty() && wants_checkpoint(graph, to_run)) {
      auto saved = co_await save_checkpoint(run, "running", std::nullopt);
      if (!saved)
        co_return FrameOutcome{FrameEnd::failed, std::move(saved).error()};
    }
  }
  co_return FrameOutcome{FrameEnd::completed, {}};
}

}  // namespace opsgraph::graph::detail
