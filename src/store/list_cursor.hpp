#pragma once
// The opaque cursor of TaskStore::list: a position in the listing order (created_at, id), so a
// page boundary stays put when tasks are created between two calls. Shared by every backend so
// that a cursor means the same thing everywhere.

#include <cstdint>
#include <opsgraph/core/result.hpp>
#include <string>
#include <string_view>

namespace opsgraph::store::detail {

/// The last task of a page: the next page starts strictly after it (older).
struct CursorPosition {
  std::int64_t created_ms = 0;
  std::string id;

  friend bool operator==(const CursorPosition&, const CursorPosition&) = default;
};

std::string encode_cursor(const CursorPosition& position);

/// Errors: invalid_argument for anything encode_cursor did not write.
result<CursorPosition> decode_cursor(std::string_view cursor);

}  // namespace opsgraph::store::detail
