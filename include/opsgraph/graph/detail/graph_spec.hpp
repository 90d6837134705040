#pragma once
// The type-erased form of a StateGraph: what the compiled runtime in src/graph/ executes. The
// typed StateGraph<State> builds one; users never touch it.

#include <cstddef>
#include <functional>
#include <memory>
#include <opsgraph/core/json_value.hpp>
#include <opsgraph/core/result.hpp>
#include <opsgraph/core/task.hpp>
#include <opsgraph/export.hpp>
#include <opsgraph/graph/node.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace opsgraph::graph::detail {

/// An owned state of the graph's State type, erased.
using StatePtr = std::shared_ptr<void>;

/// What the runtime needs to know about State.
struct StateOps {
  StatePtr (*clone)(const void* state) = nullptr;
  std::string (*encode)(const void* state) = nullptr;
  result<StatePtr> (*decode)(const json::Value& value) = nullptr;
};

using AsyncNodeFn = std::function<Task<result<void>>(void* state, NodeContext& ctx)>;
using SyncNodeFn = std::function<result<void>(void* state, NodeContext& ctx)>;
/// Picks the next nodes from the state a node left; names must be among the edge's targets.
using RouterFn = std::function<std::vector<std::string>(const void* state)>;
/// Folds the state one parallel branch left into the run's state.
using ReducerFn = std::function<void(void* into, void* branch)>;
/// Keeps what a failed attempt's copy of the state holds that must outlive the attempt.
using SalvageFn = std::function<void(void* state, const void* failed)>;

struct GraphSpec;

struct NodeSpec {
  std::string name;
  AsyncNodeFn async_fn;  // exactly one of async_fn, sync_fn, subgraph is set
  SyncNodeFn sync_fn;
  std::shared_ptr<const GraphSpec> subgraph;
  NodeOptions options;
};

struct ConditionalEdgeSpec {
  std::string from;
  RouterFn route;
  std::vector<std::string> targets;
};

struct JoinSpec {
  std::vector<std::string> sources;
  std::string target;
};

/// Node indexes after compile(); kEndIndex stands for the end of the graph.
inline constexpr std::size_t kEndIndex = static_cast<std::size_t>(-1);

struct GraphSpec {
  std::string name;
  std::string entry;
  std::vector<NodeSpec> nodes;
  std::vector<std::pair<std::string, std::string>> edges;
  std::vector<ConditionalEdgeSpec> conditional_edges;
  std::vector<JoinSpec> joins;
  ReducerFn reducer;
  SalvageFn salvage;
  StateOps state;
  /// Mistakes found while building (duplicate node, reserved name): compile() reports them.
  std::vector<std::string> build_errors;

  // Filled by compile():
  std::size_t entry_index = 0;
  struct Routes {
    std::vector<std::size_t> plain;        // targets of plain edges (kEndIndex for the end)
    std::vector<std::size_t> conditional;  // indexes into conditional_edges
    std::vector<std::size_t> joins;        // indexes into joins this node is a source of
  };
  std::vector<Routes> routes;

  /// The index of `name`, kEndIndex for the end node, or nullopt.
  OPSGRAPH_API std::optional<std::size_t> find(std::string_view name) const noexcept;
};

/// Validates `spec` and builds its indexes; the error lists every problem found.
OPSGRAPH_API result<std::shared_ptr<const GraphSpec>> compile(GraphSpec spec);

}  // namespace opsgraph::graph::detail
