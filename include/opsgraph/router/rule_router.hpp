#pragma once
// opsgraph::router::RuleRouter — the deterministic first stage of the TaskRouter. It decides, in
// microseconds and without an LLM, the risk floor of a free-text IT request, whether a human
// must approve it, its category, agents, complexity, script language and declined deliverables.
//
// The text is normalised once (invisible characters removed, NFKC, case folding, lookalike
// letters in mixed-script words mapped to Latin) and scanned once by a single multi-pattern
// matcher built from all rules; combinations of rules are evaluated over the matched set.
//
// Thread-safety: immutable after create(); route() may be called from any number of threads.
// Copies are cheap and share the compiled rules.

#include <cstddef>
#include <memory>
#include <opsgraph/core/json_value.hpp>
#include <opsgraph/core/result.hpp>
#include <opsgraph/export.hpp>
#include <opsgraph/router/route_decision.hpp>
#include <opsgraph/router/rule_set.hpp>
#include <opsgraph/safety/language.hpp>
#include <optional>
#include <string_view>

namespace opsgraph::router {

/// What the caller says beside the request text.
struct RouteHints {
  /// true adds an approval (and makes it part of the floor); false never removes one.
  std::optional<bool> require_approval = std::nullopt;
  /// The script language the caller asks for; overrides the one named in the text.
  std::optional<safety::Language> language = std::nullopt;
  /// The request's context object; its string values are user text and are scanned too.
  json::Value context = json::Value();
};

/// Input bounds. A plain aggregate with defaults matching the HTTP API.
struct RouterOptions {
  /// Longest request text in bytes; longer is errc::payload_too_large.
  std::size_t max_request_bytes = std::size_t{16} << 10;
  /// Most bytes of context string values scanned; more is errc::payload_too_large.
  std::size_t max_context_bytes = std::size_t{16} << 10;
};

class OPSGRAPH_API RuleRouter {
 public:
  /// Compiles `rules` into one matcher; fails (invalid_argument) only if the combined matcher
  /// cannot be built, e.g. it exceeds RE2's memory budget.
  static result<RuleRouter> create(RuleSet rules, RouterOptions options = {});

  /// Routes one request. Refuses, without routing, a request or context over the size limits
  /// (payload_too_large), text that is not valid UTF-8 or an empty request, and a context that
  /// is neither null nor an object (invalid_argument): the caller must not proceed on a guess.
  result<RouteDecision> route(std::string_view request, const RouteHints& hints = {}) const;

  const RuleSet& rules() const noexcept;

  RuleRouter(const RuleRouter&) = default;
  RuleRouter(RuleRouter&&) noexcept = default;
  RuleRouter& operator=(const RuleRouter&) = default;
  RuleRouter& operator=(RuleRouter&&) noexcept = default;
  ~RuleRouter();

 private:
  struct Impl;
  explicit RuleRouter(std::shared_ptr<const Impl> impl) noexcept;

  std::shared_ptr<const Impl> impl_;
};

}  // namespace opsgraph::router
