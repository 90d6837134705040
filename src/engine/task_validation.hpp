#pragma once
// Checks of what callers pass to Engine::execute beyond what the router checks (the text).

#include <opsgraph/core/json_value.hpp>
#include <opsgraph/core/result.hpp>

namespace opsgraph::engine::detail {

/// Null, or an object of at most kMaxContextKeys members whose values are strings, numbers or
/// booleans, at most kMaxContextBytes as JSON. Errors: invalid_argument, payload_too_large.
result<void> check_context(const json::Value& context);

}  // namespace opsgraph::engine::detail
