#include "fleet_events.hpp"

#include <opsgraph/core/json.hpp>
#include <string_view>

namespace opsgraph::bench {
namespace {

// The status a "status" event announces, when it is one that ends a run here.
std::optional<std::string> ending_status(const engine::TaskEvent& event) {
  if (event.type != "status")
    return std::nullopt;
  auto data = json::parse(event.data);
  if (!data)
    return std::nullopt;
  const auto* status = data.value().find("status");
  if (!status || !status->is_string())
    return std::nullopt;
  const std::string_view word = *status->if_string();
  if (word == "completed" || word == "failed" || word == "rejected" || word == "cancelled" ||
      word == "waiting_approval")
    return std::string(word);
  return std::nullopt;
}

}  // namespace

engine::EventCallback FleetEvents::callback(std::size_t worker) {
  {
    std::lock_guard lock(mutex_);
    if (ended_by_worker_.size() <= worker)
      ended_by_worker_.resize(worker + 1);
  }
  return [this, worker](const engine::TaskEvent& event) { on_event(worker, event); };
}

void FleetEvents::on_event(std::size_t worker, const engine::TaskEvent& event) {
  const auto now = Clock::now();
  const auto ending = ending_status(event);
  std::lock_guard lock(mutex_);
  first_seen_.try_emplace(event.task_id, now);
  if (!ending || !ended_.insert(event.task_id).second)
    return;
  ++ended_by_worker_[worker];
  if (*ending != "completed")
    ++not_completed_;
  last_end_ = now;
  changed_.notify_all();
}

bool FleetEvents::wait_ended(std::size_t count, Clock::time_point until) {
  std::unique_lock lock(mutex_);
  return changed_.wait_until(lock, until, [&] { return ended_.size() >= count; });
}

std::size_t FleetEvents::ended() const {
  std::lock_guard lock(mutex_);
  return ended_.size();
}

std::size_t FleetEvents::not_completed() const {
  std::lock_guard lock(mutex_);
  return not_completed_;
}

std::vector<std::size_t> FleetEvents::ended_by_worker() const {
  std::lock_guard lock(mutex_);
  return ended_by_worker_;
}

FleetEvents::Clock::time_point FleetEvents::last_end() const {
  std::lock_guard lock(mutex_);
  return last_end_;
}

std::optional<FleetEvents::Clock::time_point> FleetEvents::first_seen(
    const std::string& task_id) const {
  std::lock_guard lock(mutex_);
  if (auto it = first_seen_.find(task_id); it != first_seen_.end())
    return it->second;
  return std::nullopt;
}

}  // namespace opsgraph::bench
