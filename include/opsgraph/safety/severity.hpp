#pragma once
// opsgraph::safety::Severity — how much a finding matters to the person approving a script, lowest
// first, so severities compare with < and >=. Stateless; thread-safe.

#include <opsgraph/core/json_schema.hpp>
#include <string_view>

namespace opsgraph::safety {

enum class Severity {
  info,      ///< Worth knowing; never blocks anything.
  low,       ///< Style or a small risk; the script still passes lint.
  medium,    ///< A real problem or risk: lint fails.
  high,      ///< Dangerous: the script goes back to a human for review.
  critical,  ///< Destroys data or hands over the machine: the script goes back for review.
};

/// "info", "low", "medium", "high" or "critical".
constexpr std::string_view to_string(Severity severity) noexcept {
  switch (severity) {
    case Severity::info:
      return "info";
    case Severity::low:
      return "low";
    case Severity::medium:
      return "medium";
    case Severity::high:
      return "high";
    case Severity::critical:
      return "critical";
  }
  return "unknown";
}

}  // namespace opsgraph::safety

template <>
struct opsgraph::json::Schema<opsgraph::safety::Severity> {
  static constexpr auto names = json::enum_names<opsgraph::safety::Severity>(
      {{opsgraph::safety::Severity::info, "info"},
       {opsgraph::safety::Severity::low, "low"},
       {opsgraph::safety::Severity::medium, "medium"},
       {opsgraph::safety::Severity::high, "high"},
       {opsgraph::safety::Severity::critical, "critical"}});
};
