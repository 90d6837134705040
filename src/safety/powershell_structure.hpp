#pragma once
// The structural PowerShell check used when pwsh is not installed: balanced (), {}, [], closed
// strings, here-strings and block comments. It proves less than a parse; the report says so.
// Stateless; thread-safe. Private to src/safety.

#include <opsgraph/safety/syntax_report.hpp>
#include <string_view>

namespace opsgraph::safety::detail {

/// checker "structural", structural_only true; errors at the opening of what is never closed, or
/// at a closing bracket that does not match.
SyntaxReport check_powershell_structure(std::string_view script);

}  // namespace opsgraph::safety::detail
