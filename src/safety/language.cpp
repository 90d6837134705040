#include <opsgraph/safety/language.hpp>
#include <string>

namespace opsgraph::safety {
namespace {

bool equals_ignoring_case(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size())
    return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
    if (lower(a[i]) != lower(b[i]))
      return false;
  }
  return true;
}

struct Alias {
  std::string_view name;
  Language language;
};

constexpr Alias kAliases[] = {
    {"bash", Language::bash},
    {"sh", Language::bash},
    {"powershell", Language::powershell},
    {"pwsh", Language::powershell},
    {"ps1", Language::powershell},
    {"python", Language::python},
    {"python3", Language::python},
    {"py", Language::python},
    {"azurecli", Language::azurecli},
    {"azure-cli", Language::azurecli},
    {"az", Language::azurecli},
};

}  // namespace

result<Language> parse_language(std::string_view name) {
  for (const Alias& alias : kAliases) {
    if (equals_ignoring_case(alias.name, name))
      return alias.language;
  }
  return fail(
      make_error(errc::invalid_argument, "unknown script language \"" + std::string(name) +
                                             "\": expected bash, powershell, python or azurecli"));
}

}  // namespace opsgraph::safety
