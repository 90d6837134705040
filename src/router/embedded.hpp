#pragma once
// The default rule file, compiled into the library from data/rules/router.json by
// opsgraph_embed_file (src/router/CMakeLists.txt).

#include <string_view>

namespace opsgraph::embedded {

std::string_view router_rules() noexcept;

}  // namespace opsgraph::embedded
