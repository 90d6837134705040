#pragma once
// Checks of what callers pass to Engine::execute beyond what the router checks (the text).

#include <opsgraph/core/json_value.hpp>
#include <opsgraph/core/result.hpp>
#include <string_view>

namespace opsgraph::engine::detail {

/// Null, or an object of at most kMaxContextKeys members whose values are strings, numbers or
/// booleans, at most kMaxContextBytes as JSON, its texts UTF-8. Errors: invalid_argument,
/// payload_too_large.
result<void> check_context(const json::Value& context);

/// `text` is UTF-8 (it is stored as JSON, which would otherwise replace bad sequences); `field`
/// names it in the error. Errors: invalid_argument.
result<void> check_utf8(std::string_view field, std::string_view text);

}  // namespace opsgraph::engine::detail
