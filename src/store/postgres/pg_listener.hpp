#pragma once
// The work notifications of one schema: a thread that holds its own connection, LISTENs on
// kWorkChannel and counts the notifications naming the schema, reconnecting with backoff (for as
// long as the store lives) when the connection is lost. Idle workers wait for the count to move,
// or have a callback of theirs called when it does. Thread-safe.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

#include "store/postgres/pg_pool.hpp"

namespace opsgraph::store::detail::pg {

class Listener {
 public:
  /// Starts the thread, which connects at once.
  explicit Listener(ConnectSettings settings);
  /// Stops the thread and closes its connection.
  ~Listener();
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  /// Moves on every notification for the schema, and whenever the connection is lost or made
  /// again after a loss (notifications may have been missed then).
  std::uint64_t generation();
  /// Whether notifications arrive now; when false, waiters poll instead.
  bool listening();
  /// Waits until the first connection attempt succeeded or failed, or `deadline`.
  void wait_started(SteadyTime deadline);
  /// Waits until generation() differs from `seen` (true) or `deadline` passes (false).
  bool wait_for_change(std::uint64_t seen, SteadyTime deadline);

  /// Calls `on_change` on the listening thread whenever generation() moves, until
  /// remove_watcher() with the id returned. `on_change` must not add or remove watchers.
  std::uint64_t add_watcher(std::function<void()> on_change);
  /// Stops the calls of a watcher, waiting for one in progress.
  void remove_watcher(std::uint64_t id);

 private:
  void run();
  // One connection's life: LISTEN, then relay notifications until it fails or stop_.
  void listen_on(Connection& connection);
  void set_listening(bool listening, bool bump_generation);
  // Moves generation() and tells the waiters and watchers.
  void bump();
  void call_watchers();
  // Sleeps up to `pause`, waking early when the store stops.
  void pause_for(std::chrono::milliseconds pause);

  ConnectSettings settings_;
  std::atomic<bool> stop_{false};
  int wake_read_ = -1;
  int wake_write_ = -1;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::uint64_t generation_ = 0;
  bool listening_ = false;
  bool started_ = false;
  bool ever_listened_ = false;
  // Apart from mutex_, so that a watcher's call never holds up the waiters; held for the calls,
  // so that a removed watcher is never called again.
  std::mutex watchers_mutex_;
  std::map<std::uint64_t, std::function<void()>> watchers_;
  std::uint64_t next_watcher_ = 1;
  std::thread thread_;
};

}  // namespace opsgraph::store::detail::pg
