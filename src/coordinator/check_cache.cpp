#include "check_cache.hpp"

#include <opsgraph/core/sha256.hpp>

namespace opsgraph::coordinator::detail {

std::string CheckCache::key(safety::Language language, std::string_view code) {
  return std::string(safety::to_string(language)) + ":" + sha256_hex(code);
}

std::optional<safety::CheckReport> CheckCache::find(safety::Language language,
                                                    std::string_view code) {
  const auto k = key(language, code);
  std::lock_guard lock(mutex_);
  auto it = index_.find(k);
  if (it == index_.end())
    return std::nullopt;
  entries_.splice(entries_.begin(), entries_, it->second);
  return it->second->second;
}

void CheckCache::store(std::string_view code, const safety::CheckReport& report) {
  auto k = key(report.language, code);
  std::lock_guard lock(mutex_);
  if (auto it = index_.find(k); it != index_.end()) {
    entries_.splice(entries_.begin(), entries_, it->second);
    return;
  }
  entries_.emplace_front(k, report);
  index_.emplace(std::move(k), entries_.begin());
  if (entries_.size() > capacity_) {
    index_.erase(entries_.back().first);
    entries_.pop_back();
  }
}

}  // namespace opsgraph::coordinator::detail
