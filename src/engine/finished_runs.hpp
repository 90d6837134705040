#pragma once
// The checkpoints of tasks that ended for good (completed, rejected, cancelled), erased in
// batches. Nothing resumes such a task, so its checkpoints only take room; erased one task at a
// time they would cost a transaction each, and on SQLite a dozen pages of write-ahead log (the
// freed pages and the b-tree pages around them), about as much as the task's own checkpoints.
// Erased many at a time, in one transaction, they cost a page or two each.
//
// A batch is erased by whoever fills it, and a partial one by the engine's worker once it has
// waited long enough (flush_if_older_than), and when the engine closes (flush). Should the
// process die in between, the checkpoints of the last few finished tasks stay in the store
// unread, which does no harm. Thread-safe.

#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <opsgraph/core/log.hpp>
#include <opsgraph/export.hpp>
#include <opsgraph/store/checkpointer.hpp>
#include <string>
#include <vector>

namespace opsgraph::engine::detail {

class OPSGRAPH_API FinishedRuns {
 public:
  using SteadyTime = std::chrono::steady_clock::time_point;

  /// The most runs one erase takes; also how many wait before the one that adds the last erases.
  static constexpr std::size_t kBatch = 64;

  FinishedRuns(std::shared_ptr<store::Checkpointer> checkpoints, Logger logger);

  /// Queues the run's checkpoints for erasure, and erases the batch when this one fills it. May
  /// block on the store: call it where store calls are made.
  void add(std::string run_id);
  /// Erases what is queued if the first of it was queued before `before`.
  void flush_if_older_than(SteadyTime before);
  /// Erases everything queued.
  void flush();

 private:
  void erase(std::vector<std::string> run_ids);

  std::shared_ptr<store::Checkpointer> checkpoints_;
  Logger logger_;
  std::mutex mutex_;
  std::vector<std::string> queued_;
  SteadyTime first_queued_at_{};
};

}  // namespace opsgraph::engine::detail
