#pragma once
// How a task lives in the TaskStore: the record's body is the TaskState's JSON (the snapshot
// clients see plus the routing decision the workflow needs), and its indexed fields (status,
// stage, owner, runnable) mirror the snapshot.

#include <opsgraph/coordinator/task_state.hpp>
#include <opsgraph/core/clock.hpp>
#include <opsgraph/core/result.hpp>
#include <opsgraph/engine/requests.hpp>
#include <opsgraph/store/task_record.hpp>

namespace opsgraph::engine::detail {

/// The state stored in `record`, with the store's fields (status, stage, version, times)
/// copied into its snapshot. Errors: storage (a body that does not decode).
result<coordinator::TaskState> state_of(const store::TaskRecord& record);

/// The snapshot of `record` as clients see it; an unfinished task's duration runs to `now`.
result<coordinator::TaskSnapshot> snapshot_of(const store::TaskRecord& record, TimePoint now);

/// `record` showing `state`: body, status, stage and runnable. Queued tasks are runnable, and so
/// is any unfinished task whose run is active (`run_active`): should its worker die, the lease
/// expires and another worker continues it, even while its plan waits for approval.
void write_state(store::TaskRecord& record, const coordinator::TaskState& state, bool run_active);

/// Whether `task` has reached what a wait waits for (a final status always counts).
bool reached(const coordinator::TaskSnapshot& task, WaitFor what);

}  // namespace opsgraph::engine::detail
