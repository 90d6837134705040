#include "graph/node_runner.hpp"

#include <algorithm>
#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "graph/execute.hpp"
#include "graph/watchdog.hpp"

namespace opsgraph::graph::detail {

namespace asio = boost::asio;

/// The runtime's access to NodeContext's private parts.
struct NodeContextAccess {
  static std::shared_ptr<NodeContext> make(const ActiveRun& run, std::string path,
                                           std::uint64_t step, int attempt,
                                           const json::Value* resume) {
    std::shared_ptr<NodeContext> ctx(new NodeContext());
    ctx->run_id_ = run.run_id;
    ctx->node_ = std::move(path);
    ctx->step_ = step;
    ctx->attempt_ = attempt;
    ctx->executor_ = run.strand;
    ctx->blocking_ = run.env.blocking;
    ctx->clock_ = run.env.clock;
    ctx->cancel_flag_ = &run.cancel_flag;
    ctx->resume_value_ = resume;
    return ctx;
  }
  static std::optional<json::Value>& interrupt(NodeContext& ctx) { return ctx.interrupt_; }
  static std::string& interrupt_node(NodeContext& ctx) { return ctx.interrupt_node_; }
};

namespace {

/// Whether `path` lies within `scope`: a node path ("plan"), a frame prefix ("sub/"), or "" for
/// the whole run.
bool within(std::string_view path, std::string_view scope) {
  if (scope.empty())
    return true;
  if (scope.back() == '/')
    return path.starts_with(scope);
  return path == scope ||
         (path.starts_with(scope) && path.size() > scope.size() && path[scope.size()] == '/');
}

/// Keeps a node's LiveWork registered while the node runs.
class LiveScope {
 public:
  LiveScope(ActiveRun& run, std::string path) : run_(run), work_(std::make_shared<LiveWork>()) {
    work_->path = std::move(path);
    run_.live.push_back(work_);
  }
  ~LiveScope() { std::erase(run_.live, work_); }
  LiveScope(const LiveScope&) = delete;
  LiveScope& operator=(const LiveScope&) = delete;

  const std::shared_ptr<LiveWork>& work() const noexcept { return work_; }

 private:
  ActiveRun& run_;
  std::shared_ptr<LiveWork> work_;
};

/// One attempt of a node: its own copy of the state, what its code returned, and whether that code
/// has finished with the copy (a plain function past its timeout may still be running).
struct Attempt {
  explicit Attempt(StatePtr state) : working(std::move(state)) {}
  StatePtr working;
  std::optional<result<StatePtr>> outcome;
  std::atomic<bool> settled{false};
};

/// Marks the attempt settled when its code returns or throws.
class SettleOnExit {
 public:
  explicit SettleOnExit(Attempt& attempt) : attempt_(attempt) {}
  ~SettleOnExit() { attempt_.settled.store(true, std::memory_order_release); }
  SettleOnExit(const SettleOnExit&) = delete;
  SettleOnExit& operator=(const SettleOnExit&) = delete;

 private:
  Attempt& attempt_;
};

Task<result<StatePtr>> run_subgraph(std::shared_ptr<ActiveRun> run, const NodeSpec* node,
                                    std::shared_ptr<Attempt> attempt,
                                    std::shared_ptr<NodeContext> ctx) {
  const GraphSpec& graph = *node->subgraph;
  Frame child;
  child.graph = &graph;
  child.prefix = std::string(ctx->node()) + "/";
  child.state = std::move(attempt->working);
  child.pending = {graph.entry_index};
  child.join_arrivals.resize(graph.joins.size());
  auto outcome = co_await execute_frame(run, child, /*durable=*/false);
  switch (outcome.end) {
    case FrameEnd::completed:
      co_return child.state;
    case FrameEnd::interrupted:
      // Relay the first inner interrupt; on resume the subgraph starts over and the answer goes
      // to the inner node by its path.
      NodeContextAccess::interrupt(*ctx) = std::move(child.interrupts.front().payload);
      NodeContextAccess::interrupt_node(*ctx) = std::move(child.interrupts.front().node);
      co_return child.state;
    case FrameEnd::failed:
      break;
  }
  // What the subgraph reached before it failed, its own salvages included, is what it leaves.
  attempt->working = child.state;
  co_return *outcome.error;
}

// Runs one attempt's code and stores what it produced; never throws.
Task<void> invoke_node(std::shared_ptr<ActiveRun> run, const NodeSpec* node,
                       std::shared_ptr<NodeContext> ctx, std::shared_ptr<Attempt> attempt) {
  try {
    if (node->async_fn) {
      SettleOnExit settle(*attempt);
      auto r = co_await node->async_fn(attempt->working.get(), *ctx);
      attempt->outcome.emplace(r ? result<StatePtr>(attempt->working)
                                 : result<StatePtr>(r.error()));
    } else if (node->sync_fn) {
      // The job owns what it touches: a timed-out attempt stops waiting, the job runs on.
      auto job = run->env.blocking->run([run, node, ctx, attempt] {
        SettleOnExit settle(*attempt);
        return node->sync_fn(attempt->working.get(), *ctx);
      });
      auto r = co_await std::move(job);
      attempt->outcome.emplace(r ? result<StatePtr>(attempt->working)
                                 : result<StatePtr>(r.error()));
    } else {
      SettleOnExit settle(*attempt);
      attempt->outcome.emplace(co_await run_subgraph(run, node, attempt, ctx));
    }
  } catch (...) {
    attempt->outcome.emplace(
        error_from_current_exception("node \"" + std::string(ctx->node()) + "\""));
  }
}

Task<std::shared_ptr<Attempt>> attempt_node(std::shared_ptr<ActiveRun> run, const NodeSpec* node,
                                            StatePtr working, std::shared_ptr<NodeContext> ctx,
                                            std::shared_ptr<LiveWork> live) {
  live->timed_out = false;
  // The run's deadline goes to the watchdog here too, with the first attempt, rather than when
  // the run starts: given a far deadline first, the watchdog would be asked at once for the
  // earlier first timeout, which may re-arm its timer and so wake another io thread.
  std::optional<SteadyTime> due = run->expires;
  if (node->options.timeout) {
    live->expires = std::chrono::steady_clock::now() + *node->options.timeout;
    due = due ? std::min(*due, *live->expires) : *live->expires;
  }
  if (due)
    run->env.watchdog->watch(run, *due);
  auto attempt = std::make_shared<Attempt>(std::move(working));
  co_await asio::co_spawn(run->strand, invoke_node(run, node, ctx, attempt),
                          asio::bind_cancellation_slot(live->signal.slot(), asio::use_awaitable));
  live->expires.reset();
  if (live->timed_out && !(attempt->outcome && *attempt->outcome)) {
    attempt->outcome.emplace(
        make_error(errc::timeout, "node \"" + std::string(ctx->node()) + "\" timed out after " +
                                      std::to_string(node->options.timeout->count()) + " ms"));
  }
  co_return attempt;
}

// Hands what a failed attempt recorded to the graph's salvage, once the attempt's code is done
// with its copy. The salvage is the user's code: its failure does not stop the run.
void salvage(Frame& frame, const Attempt& attempt) {
  const auto& keep = frame.graph->salvage;
  if (!keep || !attempt.working || !attempt.settled.load(std::memory_order_acquire))
    return;
  try {
    // Shared state is copied before the salvage changes it. That includes a subgraph's that
    // failed before changing anything: it hands on the very state it shared, so the salvage's two
    // states are still two objects.
    frame.own_state();
    keep(frame.state.get(), attempt.working.get());
  } catch (...) {
    // Nothing to undo: the run goes on with the state it had.
  }
}

Error annotate(Error error, std::string_view path, int attempt) {
  if (error.details.is_null() || error.details.is_object()) {
    error.details.set("node", path);
    error.details.set("attempts", attempt);
  }
  return error;
}

}  // namespace

void cancel_within(ActiveRun& run, std::string_view scope) {
  // Emitting may complete work that unregisters itself: iterate over a copy.
  auto live = run.live;
  for (auto& work : live) {
    if (within(work->path, scope))
      work->signal.emit(asio::cancellation_type::terminal);
  }
}

Task<NodeOutcome> run_node(std::shared_ptr<ActiveRun> run, Frame* frame, std::size_t index) {
  const NodeSpec& node = frame->graph->nodes[index];
  std::string path = frame->prefix + node.name;
  LiveScope scope(*run, path);
  const json::Value* resume =
      run->resume_value && run->resume_path == path ? &*run->resume_value : nullptr;

  for (int attempt = 1;; ++attempt) {
    if (run->cancel_flag)
      co_return NodeOutcome::failed(stop_error(*run, {}));
    ++run->attempts[path];
    auto ctx = NodeContextAccess::make(*run, path, run->top.steps + 1, attempt, resume);
    emit(*run, EventType::node_started, path, attempt);
    // A subgraph's frame shares the state (its own nodes' attempts copy it); any other attempt
    // works on a copy, so a failed one leaves the run's state as it was.
    StatePtr working = node.subgraph ? frame->state : frame->graph->state.clone(frame->state.get());
    auto tried = co_await attempt_node(run, &node, std::move(working), ctx, scope.work());
    auto& r = *tried->outcome;
    if (r) {
      if (auto& payload = NodeContextAccess::interrupt(*ctx)) {
        auto& inner = NodeContextAccess::interrupt_node(*ctx);
        co_return NodeOutcome{NodeOutcome::Kind::interrupted,
                              nullptr,
                              Interrupt{inner.empty() ? path : inner, std::move(*payload)},
                              {}};
      }
      if (resume) {
        run->resume_value.reset();  // answered: a later interrupt of this node asks afresh
        run->resume_path.clear();
      }
      emit(*run, EventType::node_finished, path, attempt);
      co_return NodeOutcome{NodeOutcome::Kind::finished, std::move(r).value(), {}, {}};
    }

    Error error = annotate(std::move(r).error(), path, attempt);
    salvage(*frame, *tried);
    tried.reset();  // the failed copy need not live through the backoff
    emit(*run, EventType::node_failed, path, attempt, &error);
    if (run->cancel_flag)
      co_return NodeOutcome::failed(stop_error(*run, error));
    if (!error.retryable || attempt >= node.options.retry.max_attempts) {
      co_return NodeOutcome::failed(std::move(error));
    }
    const auto delay = node.options.retry.backoff(attempt, run->rng());
    emit(*run, EventType::node_retried, path, attempt, &error, delay);
    run->env.logger.info("graph", "retrying node",
                         {{"run_id", run->run_id},
                          {"node", path},
                          {"attempt", attempt},
                          {"delay_ms", static_cast<std::int64_t>(delay.count())},
                          {"error", error.message}});
    asio::steady_timer backoff(run->strand, delay);
    auto [ec] = co_await backoff.async_wait(asio::bind_cancellation_slot(
        scope.work()->signal.slot(), asio::as_tuple(asio::use_awaitable)));
    if (ec) {
      co_return NodeOutcome::failed(
          stop_error(*run, make_error(errc::cancelled, "node \"" + path +
                                                           "\" was cancelled while waiting "
                                                           "to retry")));
    }
  }
}

}  // namespace opsgraph::graph::detail
