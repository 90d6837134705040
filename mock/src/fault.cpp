#include <algorithm>
#include <array>
#include <charconv>
#include <opsgraph/mock/fault.hpp>
#include <utility>

namespace opsgraph::mock {

namespace {

struct FaultName {
  std::string_view name;
  FaultKind kind;
};

// Canonical names first: to_string() returns the first entry of each kind.
constexpr std::array kFaultNames{
    FaultName{"none", FaultKind::none},
    FaultName{"rate_limited", FaultKind::rate_limited},
    FaultName{"server_error", FaultKind::server_error},
    FaultName{"unavailable", FaultKind::unavailable},
    FaultName{"unauthorized", FaultKind::unauthorized},
    FaultName{"bad_request", FaultKind::bad_request},
    FaultName{"context_length_exceeded", FaultKind::context_length_exceeded},
    FaultName{"hang", FaultKind::hang},
    FaultName{"malformed_json", FaultKind::malformed_json},
    FaultName{"truncated", FaultKind::truncated},
    FaultName{"reset_mid_stream", FaultKind::reset_mid_stream},
    FaultName{"wrong_content_type", FaultKind::wrong_content_type},
    FaultName{"429", FaultKind::rate_limited},
    FaultName{"500", FaultKind::server_error},
    FaultName{"503", FaultKind::unavailable},
    FaultName{"401", FaultKind::unauthorized},
    FaultName{"400", FaultKind::bad_request},
    FaultName{"latency", FaultKind::none},
};

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos)
    return {};
  const auto last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

std::optional<int> to_int(std::string_view text) {
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value < 0)
    return std::nullopt;
  return value;
}

result<void> set_latency(Fault& fault, std::string_view value) {
  const auto dash = value.find('-');
  auto min = to_int(value.substr(0, dash));
  auto max = dash == std::string_view::npos ? min : to_int(value.substr(dash + 1));
  if (!min || !max || *max < *min || *max == 0)
    return fail(
        errc::invalid_argument,
        "latency_ms must be N or MIN-MAX milliseconds (MAX > 0), not '" + std::string(value) + "'");
  fault.latency_min = std::chrono::milliseconds(*min);
  fault.latency_max = std::chrono::milliseconds(*max);
  return ok();
}

result<void> set_parameter(Fault& fault, std::string_view key, std::string_view value) {
  if (key == "latency_ms")
    return set_latency(fault, value);
  if (key == "retry_after") {
    auto seconds = to_int(value);
    if (!seconds)
      return fail(errc::invalid_argument,
                  "retry_after must be whole seconds, not '" + std::string(value) + "'");
    fault.retry_after_seconds = *seconds;
    return ok();
  }
  return fail(errc::invalid_argument, "unknown fault parameter '" + std::string(key) +
                                          "' (expected latency_ms or retry_after)");
}

}  // namespace

std::string_view to_string(FaultKind kind) noexcept {
  for (const auto& entry : kFaultNames) {
    if (entry.kind == kind)
      return entry.name;
  }
  return "unknown";
}

result<Fault> parse_fault(std::string_view text) {
  Fault fault;
  bool named = false;
  while (!text.empty()) {
    const auto semicolon = text.find(';');
    const auto item = trim(text.substr(0, semicolon));
    text = semicolon == std::string_view::npos ? std::string_view{} : text.substr(semicolon + 1);
    if (item.empty())
      continue;
    if (const auto eq = item.find('='); eq != std::string_view::npos) {
      OPSGRAPH_TRY(set_parameter(fault, trim(item.substr(0, eq)), trim(item.substr(eq + 1))));
      continue;
    }
    auto entry = std::ranges::find(kFaultNames, item, &FaultName::name);
    if (entry == kFaultNames.end())
      return fail(errc::invalid_argument, "unknown fault '" + std::string(item) + "'");
    if (named)
      return fail(errc::invalid_argument, "more than one fault named in one fault specification");
    named = true;
    fault.kind = entry->kind;
  }
  if (fault.is_noop())
    return fail(errc::invalid_argument, "the fault specification names no fault and no latency_ms");
  return fault;
}

}  // namespace opsgraph::mock
