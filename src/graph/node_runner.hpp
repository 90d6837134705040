#pragma once
// One node of a step: its attempts, retries with backoff, timeout, cancellation, interrupt, and
// the subgraph a node may be. Runs on the run's strand.

#include <memory>
#include <opsgraph/core/task.hpp>
#include <string_view>

#include "graph/active_run.hpp"

namespace opsgraph::graph::detail {

/// How one node's turn in a step ended.
struct NodeOutcome {
  enum class Kind { finished, interrupted, failed };
  Kind kind = Kind::failed;
  StatePtr state;
  Interrupt interrupt;
  Error error;

  static NodeOutcome failed(Error e) { return {Kind::failed, nullptr, {}, std::move(e)}; }
};

/// Runs node `index` of `frame` until it finishes, interrupts, or fails for good.
Task<NodeOutcome> run_node(std::shared_ptr<ActiveRun> run, Frame* frame, std::size_t index);

/// Cancels the node attempts and backoffs in flight whose path lies within `scope`: a node path
/// ("plan", which includes a subgraph's "plan/inner"), a frame prefix ("sub/"), or "" for all.
void cancel_within(ActiveRun& run, std::string_view scope);

/// Why the run stopped, if it was stopped; otherwise `fallback`.
inline Error stop_error(const ActiveRun& run, const Error& fallback) {
  return run.stop_reason ? *run.stop_reason : fallback;
}

}  // namespace opsgraph::graph::detail
