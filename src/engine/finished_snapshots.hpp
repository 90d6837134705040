#pragma once
// The JSON of finished tasks' snapshots, by task and record version. A completed, failed,
// rejected or cancelled task's snapshot is a function of its stored record alone (a running
// task's duration grows with the clock), so a status poll of one needs no decoding or encoding
// once it has been answered. A retry changes the record's version, which misses. Bounded; the
// oldest entries go first. Thread-safe.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <opsgraph/export.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace opsgraph::engine::detail {

// Exported for its unit test only; not part of the installed API.
class OPSGRAPH_API FinishedSnapshots {
 public:
  explicit FinishedSnapshots(std::size_t capacity) : capacity_(capacity) {}

  /// The JSON remembered for `id` at `version`, or null.
  std::shared_ptr<const std::string> find(const std::string& id, std::uint64_t version) const;
  void remember(const std::string& id, std::uint64_t version,
                std::shared_ptr<const std::string> json);

 private:
  struct Entry {
    std::uint64_t version = 0;
    std::shared_ptr<const std::string> json;
  };

  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
  // Ids in the order they were first remembered, for eviction.
  std::deque<std::string> order_;
};

}  // namespace opsgraph::engine::detail
