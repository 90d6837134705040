#include "output.hpp"

#include <algorithm>
#include <iostream>
#include <opsgraph/core/json.hpp>

namespace opsgraph::cli {

ExitCode report_error(std::string_view command, const Error& error, bool json) {
  std::cerr << "opsgraph " << command << ": " << error.message << '\n';
  if (json) {
    json::Value detail = json::Object{};
    detail.set("code", to_string(error.code));
    detail.set("message", error.message);
    json::Value body = json::Object{};
    body.set("error", std::move(detail));
    std::cout << json::dump(body) << '\n';
  }
  return kError;
}

std::string text_row(std::string_view label, std::string_view value) {
  constexpr std::size_t kLabelWidth = 12;
  std::string row(label);
  row.resize(std::max(kLabelWidth, label.size() + 1), ' ');
  row += value;
  return row;
}

}  // namespace opsgraph::cli
