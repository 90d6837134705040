#pragma once
// The default rule file, compiled into the library from data/rules/script_security.json
// (opsgraph_embed_file in src/safety/CMakeLists.txt). Private to src/safety.

#include <string_view>

namespace opsgraph::embedded {

std::string_view script_security_rules() noexcept;

}  // namespace opsgraph::embedded
