#pragma once
// A hash for unordered containers keyed by std::string. Marked transparent, so that with
// std::equal_to<> a std::string_view searches them without building a string first.

#include <cstddef>
#include <functional>
#include <string_view>

namespace opsgraph::detail {

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const noexcept {
    return std::hash<std::string_view>{}(text);
  }
};

}  // namespace opsgraph::detail
