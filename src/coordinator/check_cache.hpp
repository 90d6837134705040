#pragma once
// A bounded cache of script checks keyed by (language, sha256 of the code): the same script is
// checked once however many tasks produce it (load tests, retries, regenerated identical drafts).
// Thread-safe.

#include <cstddef>
#include <list>
#include <mutex>
#include <opsgraph/safety/check_report.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace opsgraph::coordinator::detail {

class CheckCache {
 public:
  explicit CheckCache(std::size_t capacity = 1024) : capacity_(capacity) {}

  std::optional<safety::CheckReport> find(safety::Language language, std::string_view code);
  void store(std::string_view code, const safety::CheckReport& report);

 private:
  static std::string key(safety::Language language, std::string_view code);

  std::size_t capacity_;
  std::mutex mutex_;
  // Most recently used first; the map points into the list.
  std::list<std::pair<std::string, safety::CheckReport>> entries_;
  std::unordered_map<std::string, decltype(entries_)::iterator> index_;
};

}  // namespace opsgraph::coordinator::detail
