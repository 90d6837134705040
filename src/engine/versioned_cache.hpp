#pragma once
// Values the engine keeps by task, each valid for one version of the task's record: a change to
// the record (a retry, a decision) moves its version on, so a stale value is never used. At most
// `capacity` values are kept; beyond that the oldest go first. Thread-safe.
//
// The engine keeps two: finished tasks' snapshot JSON, for status polls, and the states of tasks
// it has just created, for its own first claim of them.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

namespace opsgraph::engine::detail {

template <class Value>
class VersionedCache {
 public:
  explicit VersionedCache(std::size_t capacity) : capacity_(capacity) {}

  /// A copy of the value kept for `id` at `version`, or nullopt.
  std::optional<Value> find(const std::string& id, std::uint64_t version) const {
    std::lock_guard lock(mutex_);
    auto found = entries_.find(id);
    if (found == entries_.end() || found->second.version != version)
      return std::nullopt;
    return found->second.value;
  }

  /// The value kept for `id` at `version`, no longer kept; nullopt when there is none. A value
  /// kept for another version is dropped all the same: it can never be used.
  std::optional<Value> take(const std::string& id, std::uint64_t version) {
    std::lock_guard lock(mutex_);
    auto found = entries_.find(id);
    if (found == entries_.end())
      return std::nullopt;
    std::optional<Value> out;
    if (found->second.version == version)
      out = std::move(found->second.value);
    entries_.erase(found);
    return out;
  }

  /// Keeps `value` for `id` at `version`, in place of what was kept for it.
  void put(const std::string& id, std::uint64_t version, Value value) {
    if (capacity_ == 0)
      return;
    std::lock_guard lock(mutex_);
    if (auto kept = entries_.find(id); kept != entries_.end()) {
      kept->second = Entry{version, std::move(value)};  // an id keeps its place in the order
      return;
    }
    entries_.emplace(id, Entry{version, std::move(value)});
    order_.push_back(id);
    // Ids taken since are skipped; the order is bounded even while old values stay unclaimed.
    while (!order_.empty() && (entries_.size() > capacity_ || order_.size() > 2 * capacity_ ||
                               !entries_.contains(order_.front()))) {
      entries_.erase(order_.front());
      order_.pop_front();
    }
  }

 private:
  struct Entry {
    std::uint64_t version = 0;
    Value value;
  };

  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
  // Ids in the order they were first kept, for eviction; taken ones linger until they reach the
  // front.
  std::deque<std::string> order_;
};

}  // namespace opsgraph::engine::detail
