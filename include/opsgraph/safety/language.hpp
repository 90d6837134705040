#pragma once
// opsgraph::safety::Language — the script languages opsgraph generates and checks, with the names
// they carry in JSON, in rule files and on the command line. Stateless; thread-safe.

#include <opsgraph/core/json_schema.hpp>
#include <opsgraph/core/result.hpp>
#include <opsgraph/export.hpp>
#include <string_view>

namespace opsgraph::safety {

enum class Language {
  bash,        ///< bash or POSIX sh.
  powershell,  ///< Windows PowerShell 5.1 or PowerShell 7.
  python,      ///< Python 3.
  azurecli,    ///< A list of Azure CLI (`az ...`) commands in shell syntax.
};

/// The canonical name: "bash", "powershell", "python" or "azurecli".
constexpr std::string_view to_string(Language language) noexcept {
  switch (language) {
    case Language::bash:
      return "bash";
    case Language::powershell:
      return "powershell";
    case Language::python:
      return "python";
    case Language::azurecli:
      return "azurecli";
  }
  return "unknown";
}

/// Parses a canonical name or a common alias ("sh", "pwsh", "ps1", "py", "az"), ignoring ASCII
/// case; anything else is errc::invalid_argument naming the accepted values.
OPSGRAPH_API result<Language> parse_language(std::string_view name);

}  // namespace opsgraph::safety

template <>
struct opsgraph::json::Schema<opsgraph::safety::Language> {
  static constexpr auto names = json::enum_names<opsgraph::safety::Language>(
      {{opsgraph::safety::Language::bash, "bash"},
       {opsgraph::safety::Language::powershell, "powershell"},
       {opsgraph::safety::Language::python, "python"},
       {opsgraph::safety::Language::azurecli, "azurecli"}});
};
