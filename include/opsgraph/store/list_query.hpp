#pragma once
// opsgraph::store::ListQuery and ListPage — one page of TaskStore::list: filters, a page size and
// an opaque cursor in; records newest first and the cursor of the next page out.
//
// Plain value types with no synchronisation of their own.

#include <cstddef>
#include <opsgraph/core/clock.hpp>
#include <opsgraph/store/task_record.hpp>
#include <optional>
#include <string>
#include <vector>

namespace opsgraph::store {

inline constexpr std::size_t kDefaultListLimit = 50;
inline constexpr std::size_t kMaxListLimit = 1000;
/// The most statuses one query may name.
inline constexpr std::size_t kMaxListStatuses = 16;

/// What TaskStore::list should return: all filters must match (statuses match any of theirs).
/// A plain value, owned by the caller.
struct ListQuery {
  /// Tasks whose status is any of these; empty means any status.
  std::vector<std::string> statuses;
  /// Tasks of this owner only.
  std::optional<std::string> owner;
  /// Tasks created at or after this time.
  std::optional<TimePoint> created_since;
  /// Tasks created strictly before this time.
  std::optional<TimePoint> created_before;
  /// Page size, 1..kMaxListLimit.
  std::size_t limit = kDefaultListLimit;
  /// Empty for the first page, else ListPage::next_cursor of the previous page. A cursor is a
  /// position in the order (created_at, id), so tasks created between two pages never shift
  /// the following pages; they appear on the first page of a new listing.
  std::string cursor;
};

/// One page of TaskStore::list: copies of the records, and where the next page starts. A plain
/// value, owned by the caller.
struct ListPage {
  /// Newest first: created_at descending, then id descending.
  std::vector<TaskRecord> tasks;
  /// Present when more tasks match after this page.
  std::optional<std::string> next_cursor;
};

}  // namespace opsgraph::store
