#pragma once
// opsgraph::coordinator — the CoordinatorGraph: the IT workflow as a graph of the graph runtime.
//
//   plan -> diagnosis -> plan_review -> automation -> script_review -> writing
//        -> [the user's custom steps] -> aggregate
//
// `plan` refines the rules' routing with the planner agent and writes the plan; when the plan
// needs a human, the task shows waiting_approval at once and the read-only diagnosis runs while
// the human decides. `plan_review` is the gate: it passes when no approval is needed or an
// approval of this plan's hash is recorded, ends the run on a rejection, and otherwise
// interrupts (parks the run) until a decision arrives. `automation` is the AutomationGraph
// (draft, check, redraft with the findings, a bounded number of times); `script_review` gates a
// script with high-severity findings the same way, by the script's hash. `writing` is grounded in
// the diagnosis and the final script; `aggregate` completes the task.
//
// The graph is built once per engine and run for every task. Its nodes reach the outside only
// through CoordinatorParts: the provider, the checker, the agents, and a TaskJournal that
// persists the task and reads decisions.

#include <chrono>
#include <memory>
#include <opsgraph/agents/structured_agent.hpp>
#include <opsgraph/coordinator/approval.hpp>
#include <opsgraph/coordinator/task_state.hpp>
#include <opsgraph/core/result.hpp>
#include <opsgraph/core/task.hpp>
#include <opsgraph/export.hpp>
#include <opsgraph/graph/retry.hpp>
#include <opsgraph/graph/state_graph.hpp>
#include <opsgraph/llm/provider.hpp>
#include <opsgraph/safety/script_checker.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace opsgraph::coordinator {

/// The name the graph's checkpoints carry; a new version of the workflow gets a new name.
inline constexpr std::string_view kGraphName = "opsgraph.coordinator.v1";

/// Thresholds and bounds of the workflow.
struct CoordinatorPolicy {
  /// A diagnosis less confident than this (0..1) skips automation, unless a script was asked for.
  double min_diagnosis_confidence = 0.3;
  /// Script drafts per task, the first included; then the last draft goes to review as it is.
  int max_script_attempts = 3;
  /// Retries of a node's retryable failures other than upstream ones (the provider owns those).
  graph::RetryPolicy node_retry = graph::RetryPolicy::attempts(2);
  /// One attempt of one node (an LLM call with its repairs, a script check).
  std::chrono::milliseconds node_timeout{std::chrono::minutes{5}};
};

/// Where the workflow's results go and where decisions come from; the Engine implements it over
/// its TaskStore. Calls may come from any thread; implementations must be thread-safe.
class TaskJournal {
 public:
  virtual ~TaskJournal() = default;
  /// Makes the stored task show `state` (status, stage, results), keeping the decisions already
  /// recorded there. Fails with errc::cancelled when the task was cancelled or rejected meanwhile,
  /// and with errc::conflict when this worker no longer holds the task.
  virtual Task<result<void>> publish(const TaskState& state) = 0;
  /// The decisions recorded for the task so far, oldest first.
  virtual Task<result<std::vector<Approval>>> approvals(std::string_view task_id) = 0;
};

/// The four agents of the workflow.
struct Agents {
  agents::StructuredAgent planner;
  agents::StructuredAgent diagnostic;
  agents::StructuredAgent automation;
  agents::StructuredAgent writer;
};

/// A step of the user's own, run after writing and before the task completes: a graph over the
/// same state (a single node is a one-node graph). It reads the whole task and records what it
/// adds under `state.task.extensions[name]`, which the record shows. Its node names must not
/// clash with the workflow's.
struct CustomStep {
  std::string name;
  graph::CompiledGraph<TaskState> graph;
  graph::NodeOptions options{};
};

/// What the nodes use. Everything is shared: one set of parts serves every task.
struct CoordinatorParts {
  std::shared_ptr<llm::Provider> provider;
  std::shared_ptr<const safety::ScriptChecker> checker;
  std::shared_ptr<const Agents> agents;
  std::shared_ptr<TaskJournal> journal;
  CoordinatorPolicy policy{};
  /// Run in order between writing and aggregate.
  std::vector<CustomStep> custom_steps{};
};

/// The compiled CoordinatorGraph. Errors: invalid_argument when a part is missing.
OPSGRAPH_API result<graph::CompiledGraph<TaskState>> build_coordinator(CoordinatorParts parts);

/// The stage a node of the graph works in (for progress reports); nullopt for other names.
OPSGRAPH_API std::optional<Stage> stage_of_node(std::string_view node) noexcept;

/// What an interrupted gate asks: {"gate": "plan_review"|"script_review", "hash": "sha256:..."}.
OPSGRAPH_API json::Value gate_payload(Stage gate, std::string_view hash);

}  // namespace opsgraph::coordinator
