#include "notifier.hpp"

namespace opsgraph::engine::detail {

std::uint64_t Notifier::subscribe(std::string task_id, Callback callback) {
  std::lock_guard lock(mutex_);
  const auto id = next_id_++;
  auto next = std::make_shared<Subscribers>(*subscribers_);
  next->push_back(Subscriber{id, std::move(task_id), std::move(callback)});
  subscribers_ = std::move(next);
  return id;
}

void Notifier::unsubscribe(std::uint64_t id) {
  // Taking the delivery lock too means no callback of this subscriber runs after this returns.
  std::shared_ptr<const Subscribers> previous;  // destroyed after the locks are released
  std::lock_guard delivering(delivery_);
  std::lock_guard lock(mutex_);
  auto next = std::make_shared<Subscribers>(*subscribers_);
  std::erase_if(*next, [id](const Subscriber& s) { return s.id == id; });
  previous = std::exchange(subscribers_, std::move(next));
}

void Notifier::publish(const store::TaskEvent& event) {
  std::vector<std::function<void()>> wakes;
  {
    std::lock_guard delivering(delivery_);
    std::shared_ptr<const Subscribers> targets;
    {
      std::lock_guard lock(mutex_);
      targets = subscribers_;
    }
    for (const auto& s : *targets) {
      if (!s.task_id.empty() && s.task_id != event.task_id)
        continue;
      try {
        s.callback(event);
      } catch (...) {
        // A subscriber's failure is its own; the engine and the other subscribers go on.
      }
    }
  }
  {
    std::lock_guard lock(mutex_);
    auto [first, last] = wakers_.equal_range(event.task_id);
    for (auto it = first; it != last; ++it) {
      waker_tasks_.erase(it->second.first);
      wakes.push_back(std::move(it->second.second));
    }
    wakers_.erase(first, last);
  }
  for (auto& wake : wakes)
    wake();
}

std::uint64_t Notifier::on_next_change(std::string task_id, std::function<void()> wake) {
  std::lock_guard lock(mutex_);
  const auto id = next_id_++;
  waker_tasks_.emplace(id, task_id);
  wakers_.emplace(std::move(task_id), std::make_pair(id, std::move(wake)));
  return id;
}

void Notifier::forget(std::uint64_t handle) {
  std::lock_guard lock(mutex_);
  auto task = waker_tasks_.find(handle);
  if (task == waker_tasks_.end())
    return;
  auto [first, last] = wakers_.equal_range(task->second);
  for (auto it = first; it != last; ++it) {
    if (it->second.first == handle) {
      wakers_.erase(it);
      break;
    }
  }
  waker_tasks_.erase(task);
}

bool Notifier::has_subscribers() const {
  std::lock_guard lock(mutex_);
  return !subscribers_->empty();
}

}  // namespace opsgraph::engine::detail
