#pragma once
// The PostgresStore's connections: opened on first use, checked for life before each use, and
// opened again with exponential backoff after the server went away (a restart, a failover).

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <opsgraph/core/result.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "store/postgres/pg_connection.hpp"

namespace opsgraph::store::detail::pg {

/// Where and how to connect. A plain value.
struct ConnectSettings {
  std::string conninfo;
  std::string schema;
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds backoff_min{50};
  std::chrono::milliseconds backoff_max{2000};
  std::chrono::milliseconds reconnect_timeout{10000};
};

/// Connects, and after a retryable failure tries again with exponential backoff until
/// reconnect_timeout has passed (or `stop` becomes true); then returns the last error.
result<std::unique_ptr<Connection>> connect_with_backoff(const ConnectSettings& settings,
                                                         const std::atomic<bool>* stop = nullptr);

/// At most `size` connections, each used by one thread at a time. Thread-safe.
class Pool {
 public:
  /// A connection borrowed from the pool; the destructor gives it back, or drops it when it
  /// died or was left inside a transaction.
  class Borrowed {
   public:
    Borrowed(Pool& pool, std::unique_ptr<Connection> connection) noexcept
        : pool_(&pool), connection_(std::move(connection)) {}
    Borrowed(Borrowed&& other) noexcept = default;
    Borrowed& operator=(Borrowed&&) = delete;
    ~Borrowed();
    Connection& operator*() const noexcept { return *connection_; }
    Connection* operator->() const noexcept { return connection_.get(); }

   private:
    Pool* pool_;
    std::unique_ptr<Connection> connection_;
  };

  Pool(ConnectSettings settings, std::size_t size, std::chrono::milliseconds acquire_timeout);
  ~Pool();
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  /// A live connection. Errors: storage (retryable) when none is free within acquire_timeout or
  /// the server cannot be reached within reconnect_timeout.
  result<Borrowed> acquire(std::string_view operation);

  const ConnectSettings& settings() const noexcept { return settings_; }

 private:
  void give_back(std::unique_ptr<Connection> connection);

  ConnectSettings settings_;
  std::size_t size_;
  std::chrono::milliseconds acquire_timeout_;
  std::mutex mutex_;
  std::condition_variable freed_;
  std::vector<std::unique_ptr<Connection>> idle_;
  // Connections handed out, or being opened for a caller.
  std::size_t borrowed_ = 0;
};

}  // namespace opsgraph::store::detail::pg
