#include "store/postgres/pg_pool.hpp"

#include <algorithm>
#include <thread>

namespace opsgraph::store::detail::pg {

result<std::unique_ptr<Connection>> connect_with_backoff(const ConnectSettings& settings,
                                                         const std::atomic<bool>* stop) {
  auto give_up = std::chrono::steady_clock::now() + settings.reconnect_timeout;
  auto backoff = settings.backoff_min;
  for (;;) {
    auto connected =
        Connection::connect(settings.conninfo, settings.schema, settings.connect_timeout);
    if (connected || !connected.error().retryable)
      return connected;
    auto now = std::chrono::steady_clock::now();
    bool stopping = stop != nullptr && stop->load();
    if (stopping || now + backoff > give_up)
      return connected;
    std::this_thread::sleep_for(backoff);
    backoff = std::min(backoff * 2, settings.backoff_max);
  }
}

Pool::Borrowed::~Borrowed() {
  if (connection_)
    pool_->give_back(std::move(connection_));
}

Pool::Pool(ConnectSettings settings, std::size_t size, std::chrono::milliseconds acquire_timeout)
    : settings_(std::move(settings)), size_(size), acquire_timeout_(acquire_timeout) {}

Pool::~Pool() = default;

result<Pool::Borrowed> Pool::acquire(std::string_view operation) {
  std::unique_ptr<Connection> connection;
  {
    std::unique_lock lock(mutex_);
    bool available = freed_.wait_for(
        lock, acquire_timeout_, [&] { return !idle_.empty() || idle_.size() + borrowed_ < size_; });
    if (!available) {
      return fail(errc::storage, "postgres: " + std::string(operation) + ": all " +
                                     std::to_string(size_) +
                                     " pooled connections stayed busy for " +
                                     std::to_string(acquire_timeout_.count()) + " ms");
    }
    if (!idle_.empty()) {
      connection = std::move(idle_.back());
      idle_.pop_back();
    }
    ++borrowed_;
  }
  // From here the slot is ours: a failure must hand it back.
  if (connection && connection->alive())
    return Borrowed(*this, std::move(connection));
  connection.reset();
  auto connected = connect_with_backoff(settings_);
  if (!connected) {
    give_back(nullptr);
    return fail(connected.error());
  }
  return Borrowed(*this, std::move(connected).value());
}

void Pool::give_back(std::unique_ptr<Connection> connection) {
  // A connection left in a transaction (a failed ROLLBACK) or closed by the server is dropped;
  // the next caller opens a new one.
  if (connection && (!connection->idle_in_no_transaction() || !connection->alive()))
    connection.reset();
  {
    std::lock_guard lock(mutex_);
    --borrowed_;
    if (connection)
      idle_.push_back(std::move(connection));
  }
  freed_.notify_one();
}

}  // namespace opsgraph::store::detail::pg
