#pragma once
// The checkpointer the Engine gives its runs: the configured one, fenced by the task's lease and
// patient with a store that is briefly away.
//
// - A checkpoint of a task whose lease this engine no longer holds is refused with
//   errc::conflict. Writes to the task record are fenced by their compare-and-swap; checkpoints
//   are not, so an engine paused past its lease could otherwise write a step's checkpoint after
//   the engine that took the task over, and fail that one's run. When the checkpointer is the
//   task store and a store::LeaseFencedCheckpointer (every built-in store), the store checks the
//   lease in the write's own transaction. Otherwise: within most of the lease's length after it
//   was granted or renewed (HeldTasks::surely_held) nobody else can hold it, and past that the
//   lease is read just before the write, which leaves a window of one round trip.
// - A call that fails with a retryable error (a database restarting) is tried again with backoff
//   for up to detail::kStoreRetryFor instead of failing the task's run; a put that committed before
//   its connection broke is recognised on the next attempt.
// - erase() is asked for only when a run completes, and nothing resumes a completed task: its run
//   goes to FinishedRuns, which erases the checkpoints of many such runs at a time.
//
// Thread-safe as the wrapped stores are. Calls block (the engine makes them on its blocking pool
// when the store blocks).

#include <chrono>
#include <memory>
#include <opsgraph/core/log.hpp>
#include <opsgraph/store/checkpointer.hpp>
#include <opsgraph/store/lease_fenced_checkpointer.hpp>
#include <opsgraph/store/task_store.hpp>

namespace opsgraph::engine {

class HeldTasks;
namespace detail {
class FinishedRuns;
}

class LeasedCheckpointer final : public store::Checkpointer {
 public:
  /// `held` and `finished` must outlive this object (the engine's runner, which owns it, goes
  /// first).
  LeasedCheckpointer(std::shared_ptr<store::Checkpointer> inner,
                     std::shared_ptr<store::TaskStore> tasks, const HeldTasks& held,
                     detail::FinishedRuns& finished, Logger logger);

  result<void> put(const store::Checkpoint& checkpoint) override;
  result<std::optional<store::Checkpoint>> latest(std::string_view run_id) override;
  result<std::vector<store::Checkpoint>> history(std::string_view run_id,
                                                 std::size_t limit) override;
  result<void> erase(std::string_view run_id) override;
  bool blocking() const noexcept override { return inner_->blocking(); }

 private:
  result<void> attempt_put(const store::Checkpoint& checkpoint, bool may_have_committed);
  // The fence of a checkpointer that is not the task store: the lease read before the write.
  result<void> check_lease_before_put(const store::Checkpoint& checkpoint);

  std::shared_ptr<store::Checkpointer> inner_;
  // inner_ as a store that fences puts itself; null when it cannot (or is not the task store).
  store::LeaseFencedCheckpointer* fenced_ = nullptr;
  std::shared_ptr<store::TaskStore> tasks_;
  const HeldTasks& held_;
  detail::FinishedRuns& finished_;
  Logger logger_;
};

}  // namespace opsgraph::engine
