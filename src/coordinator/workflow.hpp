#pragma once
// The CoordinatorGraph's nodes: one member coroutine per node, sharing the parts. Private to
// src/coordinator; coordinator.cpp wires them into graphs.

#include <opsgraph/coordinator/coordinator.hpp>
#include <opsgraph/graph/node.hpp>

#include "check_cache.hpp"

namespace opsgraph::coordinator::detail {

class Workflow {
 public:
  explicit Workflow(CoordinatorParts parts) : parts_(std::move(parts)) {}

  Task<result<void>> plan(TaskState& state, graph::NodeContext& ctx);
  Task<result<void>> diagnose(TaskState& state, graph::NodeContext& ctx);
  Task<result<void>> plan_review(TaskState& state, graph::NodeContext& ctx);
  Task<result<void>> draft_script(TaskState& state, graph::NodeContext& ctx);
  Task<result<void>> check_script(TaskState& state, graph::NodeContext& ctx);
  Task<result<void>> script_review(TaskState& state, graph::NodeContext& ctx);
  Task<result<void>> write(TaskState& state, graph::NodeContext& ctx);
  Task<result<void>> aggregate(TaskState& state, graph::NodeContext& ctx);

  /// After check: "draft" again while the script fails its checks and drafts remain, else end.
  bool needs_redraft(const TaskState& state) const noexcept;

 private:
  /// The shared logic of both gates: pass, stop (rejected) or interrupt.
  Task<result<void>> gate(TaskState& state, graph::NodeContext& ctx, Stage gate, std::string hash);

  CoordinatorParts parts_;
  CheckCache checks_;
};

}  // namespace opsgraph::coordinator::detail
