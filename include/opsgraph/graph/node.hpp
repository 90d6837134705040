#pragma once
// opsgraph::graph::NodeContext and NodeOptions — what a node of a StateGraph sees of its run, and
// how the runtime treats the node (retries, timeout).
//
// A NodeContext lives for one node attempt and belongs to the runtime; nodes use it only during
// that attempt, from the coroutine or function the runtime called.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <opsgraph/core/blocking_pool.hpp>
#include <opsgraph/core/clock.hpp>
#include <opsgraph/core/json_value.hpp>
#include <opsgraph/core/task.hpp>
#include <opsgraph/graph/retry.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace opsgraph::graph {

/// How the runtime runs one node.
struct NodeOptions {
  /// Retries of retryable failures (Error::retryable); other failures end the run at once.
  RetryPolicy retry{};
  /// Each attempt is cancelled after this long and fails with errc::timeout (retryable).
  std::optional<std::chrono::milliseconds> timeout{};
  /// Whether finishing this node's step writes a checkpoint. false suits quick nodes that are
  /// safe to repeat (a gate that reads a recorded decision, a final tally): their effect is saved
  /// with the next checkpoint, and a crash before it runs them again. A step is checkpointed when
  /// any of its nodes asks.
  bool checkpoint = true;
};

namespace detail {
struct NodeContextAccess;
}

class NodeContext {
 public:
  std::string_view run_id() const noexcept { return run_id_; }
  std::string_view node() const noexcept { return node_; }
  std::uint64_t step() const noexcept { return step_; }
  /// 1 for the first attempt, 2 for the first retry, ...
  int attempt() const noexcept { return attempt_; }
  /// The run's executor: everything a run does happens in order on it.
  const Executor& executor() const noexcept { return executor_; }
  /// Where blocking work goes; `co_await ctx.blocking().run(fn)`.
  BlockingPool& blocking() const noexcept { return *blocking_; }
  const Clock& clock() const noexcept { return *clock_; }

  /// True once the run was asked to stop (cancel() or its deadline). Awaiting Asio operations
  /// are cancelled for you; a node that computes for long checks this between pieces of work.
  bool cancel_requested() const noexcept {
    return cancel_flag_ != nullptr && cancel_flag_->load(std::memory_order_relaxed);
  }

  /// When this node runs again because the run was resumed after its interrupt: the value given
  /// to resume(). Otherwise nullptr.
  const json::Value* resume_value() const noexcept { return resume_value_; }

  /// Parks the run and hands `payload` to whoever drives it (an approval request, a question).
  /// Return ok() right after: this attempt's changes to the state are discarded, and when the run
  /// is resumed the node runs again from its start with resume_value() set.
  void interrupt(json::Value payload) { interrupt_.emplace(std::move(payload)); }
  bool interrupt_requested() const noexcept { return interrupt_.has_value(); }

 private:
  friend struct detail::NodeContextAccess;
  NodeContext() = default;

  std::string_view run_id_;
  std::string node_;
  std::uint64_t step_ = 0;
  int attempt_ = 1;
  Executor executor_;
  BlockingPool* blocking_ = nullptr;
  const Clock* clock_ = nullptr;
  const std::atomic<bool>* cancel_flag_ = nullptr;
  const json::Value* resume_value_ = nullptr;
  std::optional<json::Value> interrupt_;
  std::string interrupt_node_;  // set when a subgraph node relays an inner node's interrupt
};

}  // namespace opsgraph::graph
