#include "finished_snapshots.hpp"

namespace opsgraph::engine::detail {

std::shared_ptr<const std::string> FinishedSnapshots::find(const std::string& id,
                                                           std::uint64_t version) const {
  std::lock_guard lock(mutex_);
  auto found = entries_.find(id);
  if (found == entries_.end() || found->second.version != version)
    return nullptr;
  return found->second.json;
}

void FinishedSnapshots::remember(const std::string& id, std::uint64_t version,
                                 std::shared_ptr<const std::string> json) {
  if (capacity_ == 0)
    return;
  std::lock_guard lock(mutex_);
  auto found = entries_.find(id);
  if (found != entries_.end()) {
    found->second = Entry{version, std::move(json)};
    return;
  }
  entries_.emplace(id, Entry{version, std::move(json)});
  order_.push_back(id);
  while (entries_.size() > capacity_) {
    entries_.erase(order_.front());
    order_.pop_front();
  }
}

}  // namespace opsgraph::engine::detail
