#pragma once
// Why a request is not in a cassette: the closest recorded request and where it differs, for the
// not_found error of llm::Replay. Stateless; thread-safe. Private to src/llm.

#include <opsgraph/core/json_value.hpp>
#include <string>
#include <vector>

namespace opsgraph::llm {

/// "the closest recorded request (model "m", 3 messages) differs at messages[1].content, byte
/// 12: recorded "…", asked "…"" for the normal-form `asked` among the normal forms `recorded`
/// (which must not be empty).
std::string describe_closest(const std::vector<json::Value>& recorded, const json::Value& asked);

}  // namespace opsgraph::llm
