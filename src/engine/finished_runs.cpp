#include "finished_runs.hpp"

#include "store_retry.hpp"

namespace opsgraph::engine::detail {

FinishedRuns::FinishedRuns(std::shared_ptr<store::Checkpointer> checkpoints, Logger logger)
    : checkpoints_(std::move(checkpoints)), logger_(std::move(logger)) {}

void FinishedRuns::add(std::string run_id) {
  std::vector<std::string> full;
  {
    std::lock_guard lock(mutex_);
    if (queued_.empty())
      first_queued_at_ = std::chrono::steady_clock::now();
    queued_.push_back(std::move(run_id));
    if (queued_.size() < kBatch)
      return;
    full.swap(queued_);
  }
  erase(std::move(full));
}

void FinishedRuns::flush_if_older_than(SteadyTime before) {
  std::vector<std::string> waiting;
  {
    std::lock_guard lock(mutex_);
    if (queued_.empty() || first_queued_at_ >= before)
      return;
    waiting.swap(queued_);
  }
  erase(std::move(waiting));
}

void FinishedRuns::flush() {
  flush_if_older_than(SteadyTime::max());
}

void FinishedRuns::erase(std::vector<std::string> run_ids) {
  auto erased =
      retry_through_outage(logger_, "erasing finished tasks' checkpoints", run_ids.front(),
                           [&] { return checkpoints_->erase_runs(run_ids); });
  if (!erased) {
    logger_.warn("engine", "could not erase finished tasks' checkpoints",
                 {{"tasks", static_cast<std::int64_t>(run_ids.size())},
                  {"first", run_ids.front()},
                  {"error", erased.error().message}});
  }
}

}  // namespace opsgraph::engine::detail
