#include "connection_registry.hpp"

#include <vector>

namespace opsgraph::http::detail {

std::optional<ConnectionRegistry::Entry> ConnectionRegistry::add(std::weak_ptr<Closable> connection,
                                                                 std::size_t limit) {
  std::lock_guard lock(mutex_);
  if (stopping_)
    return std::nullopt;
  Entry entry{.id = next_id_++, .admitted = admitted_.load() < limit};
  if (entry.admitted)
    ++admitted_;
  connections_.emplace(entry.id, std::move(connection));
  return entry;
}

void ConnectionRegistry::remove(const Entry& entry) {
  std::lock_guard lock(mutex_);
  connections_.erase(entry.id);
  if (entry.admitted)
    --admitted_;
  if (connections_.empty())
    emptied_.notify_all();
}

template <class Action>
void ConnectionRegistry::for_each_open(Action action) {
  std::vector<std::shared_ptr<Closable>> open;
  {
    std::lock_guard lock(mutex_);
    open.reserve(connections_.size());
    for (auto& [id, connection] : connections_) {
      if (auto locked = connection.lock())
        open.push_back(std::move(locked));
    }
  }
  for (auto& connection : open)
    action(*connection);
}

void ConnectionRegistry::begin_stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  for_each_open([](Closable& connection) { connection.stop_gracefully(); });
}

void ConnectionRegistry::close_all() {
  for_each_open([](Closable& connection) { connection.close(); });
}

bool ConnectionRegistry::wait_until_empty(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mutex_);
  return emptied_.wait_until(lock, deadline, [this] { return connections_.empty(); });
}

}  // namespace opsgraph::http::detail
