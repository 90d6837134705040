#pragma once
// ConnectionRegistry — the open connections of a server, so that stop() can reach them from any
// thread, and the count that max_connections is checked against. Thread-safe. Internal.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>

namespace opsgraph::http::detail {

/// A connection as the registry sees it. Both calls may come from any thread: they post to the
/// connection's strand.
class Closable {
 public:
  virtual ~Closable() = default;
  /// The server is stopping: close at once unless a request is being answered.
  virtual void stop_gracefully() = 0;
  /// Close now, whatever the connection is doing.
  virtual void close() = 0;
};

class ConnectionRegistry {
 public:
  struct Entry {
    std::uint64_t id = 0;
    /// False when the connection is over max_connections (it is answered 503 and closed).
    bool admitted = false;
  };

  /// Registers a connection, admitted when fewer than `limit` admitted ones are open; nullopt
  /// once begin_stop() has run (the caller then closes the connection).
  std::optional<Entry> add(std::weak_ptr<Closable> connection, std::size_t limit);
  void remove(const Entry& entry);

  /// Refuses new connections and asks every open one to stop gracefully.
  void begin_stop();
  /// Closes every open connection.
  void close_all();
  /// Waits until no connection is registered; false when `deadline` came first.
  bool wait_until_empty(std::chrono::steady_clock::time_point deadline);

  /// Admitted connections still open.
  std::size_t admitted() const noexcept { return admitted_.load(std::memory_order_relaxed); }

 private:
  template <class Action>
  void for_each_open(Action action);

  mutable std::mutex mutex_;
  std::condition_variable emptied_;
  std::unordered_map<std::uint64_t, std::weak_ptr<Closable>> connections_;
  std::uint64_t next_id_ = 0;
  bool stopping_ = false;
  std::atomic<std::size_t> admitted_{0};
};

}  // namespace opsgraph::http::detail
