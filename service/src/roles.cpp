#include <array>
#include <opsgraph/service/roles.hpp>
#include <utility>

namespace opsgraph::service {
namespace {

constexpr std::array<std::pair<Role, std::string_view>, 4> kNames{{
    {Role::viewer, "viewer"},
    {Role::operator_role, "operator"},
    {Role::approver, "approver"},
    {Role::admin, "admin"},
}};

}  // namespace

std::string_view role_name(Role role) noexcept {
  for (const auto& [known, name] : kNames) {
    if (known == role)
      return name;
  }
  return "unknown";
}

std::optional<Role> parse_role(std::string_view name) noexcept {
  for (const auto& [role, known] : kNames) {
    if (known == name)
      return role;
  }
  return std::nullopt;
}

Role least_role_for(Permission permission) noexcept {
  switch (permission) {
    case Permission::open:
    case Permission::read:
      return Role::viewer;
    case Permission::operate:
      return Role::operator_role;
    case Permission::decide:
      return Role::approver;
    case Permission::manage_keys:
      return Role::admin;
  }
  return Role::admin;
}

}  // namespace opsgraph::service
