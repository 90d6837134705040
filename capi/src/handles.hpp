#pragma once
// The objects behind the opaque C handles. Each starts with a tag naming its kind, so a handle
// of one kind passed where another is expected is refused (INVALID_HANDLE) instead of misused;
// destroy clears the tag first. A destroyed handle is still undefined behaviour to use.

#include <cstdint>
#include <opsgraph/router/rule_router.hpp>
#include <opsgraph/safety/script_checker.hpp>
#include <utility>

#include "boundary.hpp"

namespace opsgraph::capi {

inline constexpr std::uint64_t kRouterTag = 0x6f70732e726f7574;   // "ops.rout"
inline constexpr std::uint64_t kCheckerTag = 0x6f70732e63686563;  // "ops.chec"

/// NULL_ARGUMENT for NULL, INVALID_HANDLE when the tag is not `Handle`'s.
template <class Handle>
opsgraph_status check_handle(const Handle* handle, std::string_view name) noexcept {
  if (auto status = require(handle, name); status != OPSGRAPH_OK)
    return status;
  if (handle->tag != Handle::kTag)
    return set_error(OPSGRAPH_INVALID_HANDLE, std::string(name) + " is not a live opsgraph handle");
  return OPSGRAPH_OK;
}

}  // namespace opsgraph::capi

struct opsgraph_router {
  static constexpr std::uint64_t kTag = opsgraph::capi::kRouterTag;
  explicit opsgraph_router(opsgraph::router::RuleRouter r) : router(std::move(r)) {}

  std::uint64_t tag = kTag;
  opsgraph::router::RuleRouter router;
};

struct opsgraph_checker {
  static constexpr std::uint64_t kTag = opsgraph::capi::kCheckerTag;
  explicit opsgraph_checker(opsgraph::safety::ScriptChecker c) : checker(std::move(c)) {}

  std::uint64_t tag = kTag;
  opsgraph::safety::ScriptChecker checker;
};
