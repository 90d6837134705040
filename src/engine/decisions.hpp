#pragma once
// The rules of human decisions, as pure functions over a task's state: which gate is decided, by
// which hash, what repeats are no-ops and what conflicts. The Engine applies them inside a
// compare-and-swap loop on the stored record. Exported for the unit tests only.

#include <opsgraph/coordinator/task_state.hpp>
#include <opsgraph/core/clock.hpp>
#include <opsgraph/core/result.hpp>
#include <opsgraph/engine/requests.hpp>
#include <opsgraph/export.hpp>

namespace opsgraph::engine::detail {

/// What applying a decision did.
enum class Applied {
  recorded,  ///< A new decision: store the state and resume (or end) the task.
  repeated,  ///< The same decision was already recorded: nothing to store.
};

/// Records an approval of the gate the task waits at. Errors: conflict (not waiting, stale hash,
/// the gate was rejected), invalid_argument (no hash at script_review).
OPSGRAPH_API result<Applied> apply_approval(coordinator::TaskState& state,
                                            const ApproveRequest& request, TimePoint now);

/// Records a rejection of the gate the task waits at; the task becomes rejected. Errors:
/// conflict (not waiting, the gate was approved).
OPSGRAPH_API result<Applied> apply_rejection(coordinator::TaskState& state,
                                             const RejectRequest& request, TimePoint now);

/// The hash of the artefact waiting at `gate`: the plan's or the script's ("" if none).
OPSGRAPH_API std::string gate_hash(const coordinator::TaskState& state, coordinator::Stage gate);

}  // namespace opsgraph::engine::detail
