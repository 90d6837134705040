#pragma once
// What the workers of a fleet run report: for every task, when some worker first reported
// anything about it (a node starting is usually first), and when it reached a status that ends
// the run (completed, failed, rejected, cancelled; waiting_approval too, as nothing here
// approves). Several engines feed one FleetEvents through their subscriptions.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <opsgraph/engine/engine.hpp>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace opsgraph::bench {

/// Thread-safe: on_event() comes from the engines' threads, the rest from the benchmark's.
class FleetEvents {
 public:
  using Clock = std::chrono::steady_clock;

  /// Feed it every event of worker number `worker` (0, 1, ...):
  /// `engine.subscribe("", events.callback(i))`. The callback refers to this object, which must
  /// outlive the subscription.
  engine::EventCallback callback(std::size_t worker);

  /// Blocks until `count` tasks have ended or `until` passes; true when they have.
  bool wait_ended(std::size_t count, Clock::time_point until);

  std::size_t ended() const;
  /// Tasks that ended in another status than completed.
  std::size_t not_completed() const;
  /// How many tasks each worker ended, by worker number.
  std::vector<std::size_t> ended_by_worker() const;
  /// When the last task ended (the epoch when none has).
  Clock::time_point last_end() const;
  /// When a worker first reported `task_id`; nullopt when none has.
  std::optional<Clock::time_point> first_seen(const std::string& task_id) const;

 private:
  void on_event(std::size_t worker, const engine::TaskEvent& event);

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::unordered_map<std::string, Clock::time_point> first_seen_;
  std::unordered_set<std::string> ended_;
  std::vector<std::size_t> ended_by_worker_;
  std::size_t not_completed_ = 0;
  Clock::time_point last_end_{};
};

}  // namespace opsgraph::bench
