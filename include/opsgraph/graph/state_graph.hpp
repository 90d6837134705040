#pragma once
// opsgraph::graph::StateGraph<State> — a graph of named nodes over one State, built once and then
// run many times: the LangGraph model in C++. Nodes read and change the state; plain edges say
// what runs next, conditional edges let a router pick from the state, and several targets of one
// node run in parallel (each on its own copy, folded back with the reducer). A join waits for all
// of its sources. compile() checks the whole graph and yields an immutable CompiledGraph.
//
// Building is single-threaded; a CompiledGraph is immutable and may be run from many threads.
//
//   graph::StateGraph<Doc> g("summarise");
//   g.add_node("fetch", fetch).add_node("write", write)
//    .set_entry("fetch").add_edge("fetch", "write").add_edge("write", graph::kEnd);
//   OPSGRAPH_TRY(auto compiled, g.compile());
//
// A node is any callable taking (State&, NodeContext&) or (State&) and returning
// Task<result<void>> (a coroutine: runs on the run's executor), or result<void> / void (a plain
// function: runs on the blocking pool). A node changes the state in place; the runtime gives each
// attempt its own copy and commits it only when the attempt succeeds (set_salvage keeps chosen
// parts of a failed one). Coroutine nodes should be free functions or member functions: g++ 12
// miscompiles some capturing lambda coroutines.

#include <memory>
#include <opsgraph/core/result.hpp>
#include <opsgraph/core/task.hpp>
#include <opsgraph/graph/detail/graph_spec.hpp>
#include <opsgraph/graph/node.hpp>
#include <opsgraph/graph/state_codec.hpp>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace opsgraph::graph {

/// The name of the end of every graph: an edge to kEnd finishes that path of the run.
inline constexpr std::string_view kEnd = "__end__";

template <class State>
class StateGraph;

/// A checked, immutable graph, cheap to copy (shared). Run it with a graph::Runner.
template <class State>
class CompiledGraph {
 public:
  std::string_view name() const noexcept { return spec_->name; }
  const std::shared_ptr<const detail::GraphSpec>& spec() const noexcept { return spec_; }

 private:
  friend class StateGraph<State>;
  explicit CompiledGraph(std::shared_ptr<const detail::GraphSpec> spec) : spec_(std::move(spec)) {}
  std::shared_ptr<const detail::GraphSpec> spec_;
};

namespace detail {

template <class T, class R>
inline constexpr bool returns_v = std::is_same_v<T, R>;

template <class State>
StateOps state_ops() {
  StateOps ops;
  ops.clone = [](const void* s) -> StatePtr {
    return std::make_shared<State>(*static_cast<const State*>(s));
  };
  ops.encode = [](const void* s) {
    return StateCodec<State>::encode(*static_cast<const State*>(s));
  };
  ops.decode = [](const json::Value& v) -> result<StatePtr> {
    auto state = StateCodec<State>::decode(v);
    if (!state)
      return state.error();
    return StatePtr(std::make_shared<State>(std::move(state).value()));
  };
  return ops;
}

template <class State, class F>
void bind_node(NodeSpec& node, F fn) {
  if constexpr (std::is_invocable_v<F&, State&, NodeContext&>) {
    using R = std::invoke_result_t<F&, State&, NodeContext&>;
    if constexpr (std::is_same_v<R, Task<result<void>>>) {
      node.async_fn = [fn = std::move(fn)](void* s, NodeContext& c) mutable {
        return fn(*static_cast<State*>(s), c);
      };
    } else if constexpr (std::is_same_v<R, result<void>>) {
      node.sync_fn = [fn = std::move(fn)](void* s, NodeContext& c) mutable {
        return fn(*static_cast<State*>(s), c);
      };
    } else {
      static_assert(std::is_void_v<R>, "a node returns Task<result<void>>, result<void> or void");
      node.sync_fn = [fn = std::move(fn)](void* s, NodeContext& c) mutable -> result<void> {
        fn(*static_cast<State*>(s), c);
        return ok();
      };
    }
  } else {
    static_assert(std::is_invocable_v<F&, State&>,
                  "a node takes (State&, NodeContext&) or (State&)");
    bind_node<State>(node, [fn = std::move(fn)](State& s, NodeContext&) mutable { return fn(s); });
  }
}

}  // namespace detail

template <class State>
class StateGraph {
 public:
  explicit StateGraph(std::string name) {
    spec_.name = std::move(name);
    spec_.state = detail::state_ops<State>();
  }

  /// Adds a node (see the callable forms above). Names are unique and may not be kEnd.
  template <class F>
  StateGraph& add_node(std::string name, F fn, NodeOptions options = {}) {
    detail::NodeSpec node;
    node.name = std::move(name);
    node.options = std::move(options);
    detail::bind_node<State>(node, std::move(fn));
    spec_.nodes.push_back(std::move(node));
    return *this;
  }

  /// Adds a compiled graph over the same State as one node. It runs from its entry to its end
  /// within this node's step; an interrupt inside it parks the whole run, and on resume the
  /// subgraph starts again with the answer delivered to the node that asked.
  StateGraph& add_subgraph(std::string name, const CompiledGraph<State>& child,
                           NodeOptions options = {}) {
    detail::NodeSpec node;
    node.name = std::move(name);
    node.subgraph = child.spec();
    node.options = std::move(options);
    spec_.nodes.push_back(std::move(node));
    return *this;
  }

  /// After `from` finishes, `to` runs. Several edges from one node run their targets in parallel.
  StateGraph& add_edge(std::string from, std::string to) {
    spec_.edges.emplace_back(std::move(from), std::move(to));
    return *this;
  }

  /// After `from` finishes, `router(state)` names the next node (a string) or nodes (a vector of
  /// strings, run in parallel; empty ends this path). Every name it may return is in `targets`.
  template <class Router>
  StateGraph& add_conditional_edges(std::string from, Router router,
                                    std::vector<std::string> targets) {
    detail::ConditionalEdgeSpec edge;
    edge.from = std::move(from);
    edge.targets = std::move(targets);
    edge.route = [router = std::move(router)](const void* s) -> std::vector<std::string> {
      using R = std::invoke_result_t<const Router&, const State&>;
      if constexpr (std::is_convertible_v<R, std::string_view>) {
        return {std::string(std::string_view(router(*static_cast<const State*>(s))))};
      } else {
        static_assert(std::is_convertible_v<R, std::vector<std::string>>,
                      "a router returns a node name or a std::vector<std::string> of them");
        return router(*static_cast<const State*>(s));
      }
    };
    spec_.conditional_edges.push_back(std::move(edge));
    return *this;
  }

  /// `target` runs once after every node of `sources` has finished (a wait-for-all join).
  StateGraph& add_join(std::vector<std::string> sources, std::string target) {
    spec_.joins.push_back(detail::JoinSpec{std::move(sources), std::move(target)});
    return *this;
  }

  StateGraph& set_entry(std::string name) {
    spec_.entry = std::move(name);
    return *this;
  }

  /// How a parallel branch's final state is folded into the run's state:
  /// `void(State& into, State&& branch)`. Required when any node fans out.
  template <class F>
  StateGraph& set_reducer(F reducer) {
    spec_.reducer = [reducer = std::move(reducer)](void* into, void* branch) {
      reducer(*static_cast<State*>(into), std::move(*static_cast<State*>(branch)));
    };
    return *this;
  }

  /// What a failed attempt leaves behind: `void(State& state, const State& failed)`, called with
  /// the state the attempt started from and the attempt's own copy as it failed. An attempt's
  /// changes are dropped when it fails; this keeps those that record something that happened
  /// anyway, such as the cost of the calls it made, so that the next attempt and a failed run's
  /// state still count it. Called on the run's executor once the attempt's code has returned: not
  /// for a plain-function node still running past its timeout. In a subgraph node, the subgraph's
  /// own salvage runs for its nodes, and this graph's for the subgraph node as a whole.
  template <class F>
  StateGraph& set_salvage(F salvage) {
    spec_.salvage = [salvage = std::move(salvage)](void* state, const void* failed) {
      salvage(*static_cast<State*>(state), *static_cast<const State*>(failed));
    };
    return *this;
  }

  /// Checks the graph: an entry that exists, edges between known nodes, every node reachable
  /// from the entry and with a way out, a reducer where nodes fan out. Lists every problem.
  result<CompiledGraph<State>> compile() const {
    auto compiled = detail::compile(spec_);
    if (!compiled)
      return compiled.error();
    return CompiledGraph<State>(std::move(compiled).value());
  }

 private:
  detail::GraphSpec spec_;
};

}  // namespace opsgraph::graph
