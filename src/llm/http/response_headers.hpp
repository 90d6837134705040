#pragma once
// The headers of one HTTP response: names lower-cased, values trimmed, in arrival order. A value
// type; no synchronisation of its own.
// Private to src/llm/http; exported only so that the unit tests can reach it.

#include <opsgraph/export.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace opsgraph::llm::http {

class OPSGRAPH_API ResponseHeaders {
 public:
  /// Adds one "Name: value" line as curl delivers it (with or without the CRLF); status lines and
  /// blank lines are ignored.
  void add_line(std::string_view line);
  void clear() noexcept { fields_.clear(); }

  /// The last value of `name` (lower case), if present.
  std::optional<std::string_view> find(std::string_view name) const noexcept;

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

}  // namespace opsgraph::llm::http
