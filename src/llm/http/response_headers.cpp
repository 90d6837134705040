#include "llm/http/response_headers.hpp"

#include <algorithm>
#include <cctype>

namespace opsgraph::llm::http {
namespace {

std::string_view trim(std::string_view s) {
  const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && is_space(s.front()))
    s.remove_prefix(1);
  while (!s.empty() && is_space(s.back()))
    s.remove_suffix(1);
  return s;
}

}  // namespace

void ResponseHeaders::add_line(std::string_view line) {
  const auto colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0)
    return;
  std::string name(trim(line.substr(0, colon)));
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  fields_.emplace_back(std::move(name), std::string(trim(line.substr(colon + 1))));
}

std::optional<std::string_view> ResponseHeaders::find(std::string_view name) const noexcept {
  for (auto it = fields_.rbegin(); it != fields_.rend(); ++it) {
    if (it->first == name)
      return std::string_view(it->second);
  }
  return std::nullopt;
}

}  // namespace opsgraph::llm::http
