#include "notifier.hpp"

#include <vector>

namespace opsgraph::engine::detail {

std::uint64_t Notifier::subscribe(std::string task_id, Callback callback) {
  std::lock_guard lock(mutex_);
  const auto id = next_id_++;
  subscribers_.emplace(id, Subscriber{std::move(task_id), std::move(callback)});
  return id;
}

void Notifier::unsubscribe(std::uint64_t id) {
  // Taking the delivery lock too means no callback of this subscriber runs after this returns.
  std::lock_guard delivering(delivery_);
  std::lock_guard lock(mutex_);
  subscribers_.erase(id);
}

void Notifier::publish(const store::TaskEvent& event) {
  std::vector<std::function<void()>> wakes;
  {
    std::lock_guard delivering(delivery_);
    std::vector<Callback> targets;
    {
      std::lock_guard lock(mutex_);
      for (const auto& [id, s] : subscribers_) {
        if (s.task_id.empty() || s.task_id == event.task_id)
          targets.push_back(s.callback);
      }
    }
    for (const auto& callback : targets) {
      try {
        callback(event);
      } catch (...) {
        // A subscriber's failure is its own; the engine and the other subscribers go on.
      }
    }
  }
  {
    std::lock_guard lock(mutex_);
    ++generation_;
    for (auto it = wakers_.begin(); it != wakers_.end();) {
      if (it->second.task_id == event.task_id) {
        wakes.push_back(std::move(it->second.wake));
        it = wakers_.erase(it);
      } else {
        ++it;
      }
    }
  }
  changed_.notify_all();
  for (auto& wake : wakes)
    wake();
}

std::uint64_t Notifier::generation() const {
  std::lock_guard lock(mutex_);
  return generation_;
}

void Notifier::wait_for_change(std::uint64_t seen, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  changed_.wait_for(lock, timeout, [&] { return generation_ != seen; });
}

std::uint64_t Notifier::on_next_change(std::string task_id, std::function<void()> wake) {
  std::lock_guard lock(mutex_);
  const auto id = next_id_++;
  wakers_.emplace(id, Waker{std::move(task_id), std::move(wake)});
  return id;
}

void Notifier::forget(std::uint64_t handle) {
  std::lock_guard lock(mutex_);
  wakers_.erase(handle);
}

}  // namespace opsgraph::engine::detail
