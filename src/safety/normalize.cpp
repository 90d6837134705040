#include "safety/normalized_script.hpp"

namespace opsgraph::safety::detail {

NormalizedScript normalize(std::string_view source, Language language) {
  switch (language) {
    case Language::powershell:
      return normalize_powershell(source);
    case Language::python:
      return normalize_python(source);
    case Language::bash:
    case Language::azurecli:
      break;
  }
  return normalize_shell(source);
}

}  // namespace opsgraph::safety::detail
