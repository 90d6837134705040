#pragma once
// opsgraph::store::LeaseFencedCheckpointer — a task's checkpoints written only while a given
// lease holds the task, the lease checked in the same transaction as the write.
//
// Writes to a task's record are fenced by their compare-and-swap version, and lease calls by the
// lease's token; a run's checkpoints carry neither. Without this fence a worker paused past its
// lease could write a step's checkpoint after the worker that took the task over has resumed the
// run from an earlier one, and fail that worker's next write. Stores that keep tasks and
// checkpoints in one database (MemoryStore, SqliteStore, PostgresStore) implement it; the Engine
// uses it whenever its checkpointer is its task store.

#include <cstdint>
#include <opsgraph/core/result.hpp>
#include <opsgraph/export.hpp>
#include <opsgraph/store/checkpointer.hpp>

namespace opsgraph::store {

class OPSGRAPH_API LeaseFencedCheckpointer {
 public:
  virtual ~LeaseFencedCheckpointer() = default;

  /// Saves `checkpoint` as Checkpointer::put() does, provided the task whose id is
  /// checkpoint.run_id is held by the live lease with `lease_token`; the check and the write are
  /// one transaction, so a claim by another worker is either seen (and the put refused) or waits
  /// for the put. Errors: as put(); conflict also when no live lease with that token holds the
  /// task; not_found when no task has that id. On any error nothing is written.
  virtual result<void> put_leased(const Checkpoint& checkpoint, std::uint64_t lease_token) = 0;
};

}  // namespace opsgraph::store
