#pragma once
// How a task lives in the TaskStore: the record's body is the TaskState's JSON (the snapshot
// clients see plus the routing decision the workflow needs), and its indexed fields (status,
// stage, owner, runnable) mirror the snapshot.

#include <cstddef>
#include <mutex>
#include <opsgraph/coordinator/task_state.hpp>
#include <opsgraph/core/clock.hpp>
#include <opsgraph/core/result.hpp>
#include <opsgraph/engine/requests.hpp>
#include <opsgraph/store/task_event.hpp>
#include <opsgraph/store/task_record.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace opsgraph::coordinator {
class TaskJournal;
}

namespace opsgraph::engine::detail {

/// The state stored in `record`, with the store's fields (status, stage, version, times)
/// copied into its snapshot. Errors: storage (a body that does not decode).
result<coordinator::TaskState> state_of(const store::TaskRecord& record);

/// The state of `record` when its body is known to be `kept` (this engine wrote it): the store's
/// fields copied in, nothing decoded.
coordinator::TaskState state_of(coordinator::TaskState kept, const store::TaskRecord& record);

/// The snapshot of `record` as clients see it; an unfinished task's duration runs to `now`.
result<coordinator::TaskSnapshot> snapshot_of(const store::TaskRecord& record, TimePoint now);

/// The same for a record whose body is known to be `state` (this engine just wrote it): nothing
/// to decode.
coordinator::TaskSnapshot snapshot_of(coordinator::TaskState state, const store::TaskRecord& record,
                                      TimePoint now);

/// `record` showing `state`: body, status, stage and runnable. Queued tasks are runnable, and so
/// is any unfinished task whose run is active (`run_active`): should its worker die, the lease
/// expires and another worker continues it, even while its plan waits for approval.
void write_state(store::TaskRecord& record, const coordinator::TaskState& state, bool run_active);

/// The "status" audit event of `state`: its status and stage, and its error when it has one.
store::NewEvent status_event(const coordinator::TaskState& state);

/// What the next write of a task needs to know of its stored state: the status and stage, the
/// decisions to keep, and what the audit events compare (the plan's hash, whether there is a
/// diagnosis, the script's hash and its number of findings). A few fields, not a copy of the task.
struct RecordFacts {
  coordinator::TaskStatus status = coordinator::TaskStatus::queued;
  coordinator::Stage stage = coordinator::Stage::routing;
  std::vector<coordinator::Approval> approvals;
  std::optional<std::string> plan_hash;
  bool diagnosed = false;
  std::optional<std::string> script_hash;
  std::size_t script_findings = 0;
};

/// The facts of `state`.
RecordFacts facts_of(const coordinator::TaskState& state);

/// What this engine last wrote for each task it runs: the facts of the state written and the
/// record's version right after the write. A compare-and-swap against that version succeeds only
/// when nobody changed the record since, and then the stored state has these facts: a publish or
/// a settle can skip reading and decoding the record. Thread-safe.
class WrittenStates {
 public:
  struct Written {
    std::uint64_t version = 0;
    RecordFacts facts;
  };
  void put(const std::string& id, std::uint64_t version, RecordFacts facts);
  /// put(), but only while something is kept for `id`: for a write by a caller (a decision) to a
  /// task this engine may be running, which must not keep a task it let go.
  void refresh(const std::string& id, std::uint64_t version, RecordFacts facts);
  std::optional<Written> find(const std::string& id) const;
  void erase(const std::string& id);

 private:
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Written> written_;
};

/// The WrittenStates of the engine's journal (made by make_store_journal).
WrittenStates& written_states(coordinator::TaskJournal& journal);

/// Whether `task` has reached what a wait waits for (a final status always counts).
bool reached(const coordinator::TaskSnapshot& task, WaitFor what);

}  // namespace opsgraph::engine::detail
