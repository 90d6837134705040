#pragma once
// Fan-out of a task's events inside one process: subscribers get each event as the engine
// records it, and waiters (blocking or coroutine) wake when their task changes. Thread-safe, and
// re-entrant: a callback may call back into the engine (approve a task it was told about, end its
// own subscription); the events that causes are delivered once the callback returns, in order.

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <opsgraph/export.hpp>
#include <opsgraph/store/task_event.hpp>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace opsgraph::engine::detail {

class OPSGRAPH_API Notifier {
 public:
  using Callback = std::function<void(const store::TaskEvent&)>;

  /// `task_id` empty: every task. Returns the id that unsubscribe() takes.
  std::uint64_t subscribe(std::string task_id, Callback callback);
  /// No callback of the subscriber starts after this returns (one that called it may still be
  /// running: its own).
  void unsubscribe(std::uint64_t id);

  /// Delivers `event` to its subscribers, one event at a time, and wakes the waiters. Called from
  /// inside a callback of this notifier, it queues the event for the delivery in progress.
  void publish(const store::TaskEvent& event);

  /// Registers `wake` to run (once) on the next change of `task_id`; returns a handle for forget.
  /// Waiters arm it before they look at the task, so that no change between the look and the wait
  /// is missed.
  std::uint64_t on_next_change(std::string task_id, std::function<void()> wake);
  void forget(std::uint64_t handle);

  /// Whether anyone subscribed: notices nobody would see are not worth building.
  bool has_subscribers() const;

 private:
  struct Subscriber {
    std::uint64_t id = 0;
    std::string task_id;
    Callback callback;
    // Cleared by unsubscribe(), for a delivery that began with the subscriber still listed.
    std::shared_ptr<std::atomic<bool>> active;
  };
  using Subscribers = std::vector<Subscriber>;

  /// Whether this thread is inside this notifier's delivery (a callback of it is running).
  bool delivering_here() const;
  /// Runs the callbacks of the subscribers still listed for `event`'s task.
  void deliver(const store::TaskEvent& event);
  /// Moves the waiters of `task_id` to `wakes`, to be woken outside the locks.
  void take_wakers(const std::string& task_id, std::vector<std::function<void()>>& wakes);

  // Held while callbacks run, so that each subscriber sees events one at a time and in order. The
  // thread holding it queues the events its callbacks cause in `backlog_` instead of waiting on it.
  std::mutex delivery_;
  std::deque<store::TaskEvent> backlog_;
  mutable std::mutex mutex_;
  std::uint64_t next_id_ = 1;
  // Replaced, never changed, when someone subscribes or leaves: publish() reads it without a copy.
  std::shared_ptr<const Subscribers> subscribers_ = std::make_shared<const Subscribers>();
  // Wake-ups by task, and the task of each handle, so a publish touches only its task's waiters.
  std::unordered_multimap<std::string, std::pair<std::uint64_t, std::function<void()>>> wakers_;
  std::unordered_map<std::uint64_t, std::string> waker_tasks_;
};

}  // namespace opsgraph::engine::detail
