#pragma once
// The OpenAPI document of the HTTP API, compiled in from docs/openapi.json.

#include <string_view>

namespace opsgraph::embedded {

std::string_view openapi_document() noexcept;

}  // namespace opsgraph::embedded
