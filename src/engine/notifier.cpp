#include "notifier.hpp"

#include <algorithm>

namespace opsgraph::engine::detail {

namespace {

// The notifiers whose delivery this thread is inside, innermost last: a callback of one engine may
// call into another, whose callbacks may call back into the first.
thread_local std::vector<const Notifier*> t_delivering;

// Marks this thread as inside a notifier's delivery for as long as it lives.
class InsideDelivery {
 public:
  explicit InsideDelivery(const Notifier* notifier) { t_delivering.push_back(notifier); }
  ~InsideDelivery() { t_delivering.pop_back(); }
  InsideDelivery(const InsideDelivery&) = delete;
  InsideDelivery& operator=(const InsideDelivery&) = delete;
};

}  // namespace

std::uint64_t Notifier::subscribe(std::string task_id, Callback callback) {
  std::lock_guard lock(mutex_);
  const auto id = next_id_++;
  auto next = std::make_shared<Subscribers>(*subscribers_);
  next->push_back(Subscriber{id, std::move(task_id), std::move(callback),
                             std::make_shared<std::atomic<bool>>(true)});
  subscribers_ = std::move(next);
  return id;
}

void Notifier::unsubscribe(std::uint64_t id) {
  std::shared_ptr<const Subscribers> previous;  // destroyed after the locks are released
  // The delivery lock makes sure no callback of the subscriber runs once this returns. A callback
  // of this notifier calling this holds it already, and its own delivery skips the subscriber.
  std::unique_lock delivering(delivery_, std::defer_lock);
  if (!delivering_here())
    delivering.lock();
  std::lock_guard lock(mutex_);
  auto next = std::make_shared<Subscribers>(*subscribers_);
  std::erase_if(*next, [id](const Subscriber& s) {
    if (s.id != id)
      return false;
    s.active->store(false, std::memory_order_relaxed);
    return true;
  });
  previous = std::exchange(subscribers_, std::move(next));
}

void Notifier::publish(const store::TaskEvent& event) {
  if (delivering_here()) {
    // Caused by a callback, on the thread that holds the delivery lock: delivered after it.
    backlog_.push_back(event);
    return;
  }
  std::vector<std::function<void()>> wakes;
  {
    std::lock_guard delivering(delivery_);
    const InsideDelivery inside(this);
    deliver(event);
    take_wakers(event.task_id, wakes);
    while (!backlog_.empty()) {
      const store::TaskEvent next = std::move(backlog_.front());
      backlog_.pop_front();
      deliver(next);
      take_wakers(next.task_id, wakes);
    }
  }
  for (auto& wake : wakes)
    wake();
}

bool Notifier::delivering_here() const {
  return std::find(t_delivering.begin(), t_delivering.end(), this) != t_delivering.end();
}

void Notifier::deliver(const store::TaskEvent& event) {
  std::shared_ptr<const Subscribers> targets;  // keeps each callback alive while it runs
  {
    std::lock_guard lock(mutex_);
    targets = subscribers_;
  }
  for (const auto& s : *targets) {
    if (!s.task_id.empty() && s.task_id != event.task_id)
      continue;
    if (!s.active->load(std::memory_order_relaxed))
      continue;  // unsubscribed by a callback earlier in this delivery
    try {
      s.callback(event);
    } catch (...) {
      // A subscriber's failure is its own; the engine and the other subscribers go on.
    }
  }
}

void Notifier::take_wakers(const std::string& task_id, std::vector<std::function<void()>>& wakes) {
  std::lock_guard lock(mutex_);
  auto [first, last] = wakers_.equal_range(task_id);
  for (auto it = first; it != last; ++it) {
    waker_tasks_.erase(it->second.first);
    wakes.push_back(std::move(it->second.second));
  }
  wakers_.erase(first, last);
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
