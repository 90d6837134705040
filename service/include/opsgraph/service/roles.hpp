#pragma once
// Who may do what over HTTP. Each role includes the ones before it: a viewer reads; an operator
// also executes, cancels and retries; an approver also approves and rejects; an admin also
// manages API keys.

#include <optional>
#include <string_view>

namespace opsgraph::service {

enum class Role { viewer, operator_role, approver, admin };

/// What a route asks of its caller.
enum class Permission {
  /// No key needed: health, readiness, metrics and the OpenAPI document.
  open,
  read,
  operate,
  decide,
  manage_keys,
};

/// "viewer", "operator", "approver", "admin".
std::string_view role_name(Role role) noexcept;
/// The role named `name`, or nullopt.
std::optional<Role> parse_role(std::string_view name) noexcept;

/// The least role holding `permission` (viewer for open ones).
Role least_role_for(Permission permission) noexcept;

inline bool allows(Role role, Permission permission) noexcept {
  return role >= least_role_for(permission);
}

}  // namespace opsgraph::service
