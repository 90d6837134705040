// opsgraph_router_*: the rule router behind a C handle. Hints and decisions cross as JSON.

#include <opsgraph/core/json.hpp>
#include <opsgraph/core/json_codec.hpp>
#include <opsgraph/router/route_decision.hpp>
#include <opsgraph/router/rule_set.hpp>

#include "handles.hpp"

namespace opsgraph::capi {
namespace {

opsgraph_router_options default_router_options() noexcept {
  router::RouterOptions defaults;
  opsgraph_router_options options{};
  options.struct_size = sizeof(opsgraph_router_options);
  options.rules_path = nullptr;
  options.max_request_bytes = defaults.max_request_bytes;
  options.max_context_bytes = defaults.max_context_bytes;
  return options;
}

Error hint_error(std::string message) {
  return make_error(errc::invalid_argument, "hints_json: " + std::move(message));
}

/// {"require_approval"?: bool, "language"?: string, "context"?: object|null}; nothing else.
result<router::RouteHints> parse_hints(const char* hints_json) {
  router::RouteHints hints;
  if (hints_json == nullptr)
    return hints;
  auto parsed = json::parse(hints_json);
  if (!parsed) {
    Error error = parsed.error();
    error.message = "hints_json: " + error.message;
    return error;
  }
  const json::Object* object = parsed.value().if_object();
  if (object == nullptr)
    return hint_error("must be a JSON object");
  for (const auto& [key, value] : *object) {
    if (key == "require_approval") {
      if (!value.is_bool())
        return hint_error("require_approval must be a boolean");
      hints.require_approval = *value.if_bool();
    } else if (key == "language") {
      if (!value.is_string())
        return hint_error("language must be a string");
      auto language = safety::parse_language(*value.if_string());
      if (!language)
        return hint_error(language.error().message);
      hints.language = language.value();
    } else if (key == "context") {
      hints.context = value;
    } else {
      return hint_error("unknown member \"" + key +
                        "\" (expected require_approval, language, context)");
    }
  }
  return hints;
}

result<router::RuleSet> load_rules(const char* path) {
  if (text_or_empty(path).empty())
    return router::RuleSet::defaults();
  return router::RuleSet::load(path);
}

}  // namespace
}  // namespace opsgraph::capi

using namespace opsgraph;
using namespace opsgraph::capi;

extern "C" {

opsgraph_status opsgraph_router_options_init(opsgraph_router_options* options, size_t struct_size) {
  return guarded("opsgraph_router_options_init", [&] {
    if (auto s = require(options, "options"); s != OPSGRAPH_OK)
      return s;
    if (auto s = check_struct_size(struct_size, sizeof(opsgraph_router_options), "options");
        s != OPSGRAPH_OK)
      return s;
    *options = default_router_options();
    return OPSGRAPH_OK;
  });
}

opsgraph_status opsgraph_router_create(const opsgraph_router_options* options,
                                       opsgraph_router** router_out) {
  return guarded("opsgraph_router_create", [&] {
    if (auto s = require(router_out, "router_out"); s != OPSGRAPH_OK)
      return s;
    *router_out = nullptr;
    const opsgraph_router_options o = options ? *options : default_router_options();
    if (auto s = check_struct_size(o.struct_size, sizeof(opsgraph_router_options), "options");
        s != OPSGRAPH_OK)
      return s;
    auto rules = load_rules(o.rules_path);
    if (!rules)
      return set_error(rules.error());
    router::RouterOptions router_options;
    router_options.max_request_bytes = o.max_request_bytes;
    router_options.max_context_bytes = o.max_context_bytes;
    auto router = router::RuleRouter::create(std::move(rules).value(), router_options);
    if (!router)
      return set_error(router.error());
    *router_out = new opsgraph_router(std::move(router).value());
    c_logger().debug("capi", "router created",
                     {{"rules", text_or_empty(o.rules_path).empty() ? "built-in" : o.rules_path}});
    return OPSGRAPH_OK;
  });
}

opsgraph_status opsgraph_router_route(const opsgraph_router* router, const char* request_utf8,
                                      const char* hints_json, char** decision_json_out) {
  return guarded("opsgraph_router_route", [&] {
    if (auto s = require(decision_json_out, "decision_json_out"); s != OPSGRAPH_OK)
      return s;
    *decision_json_out = nullptr;
    if (auto s = check_handle(router, "router"); s != OPSGRAPH_OK)
      return s;
    if (auto s = require_utf8(request_utf8, "request_utf8"); s != OPSGRAPH_OK)
      return s;
    if (hints_json != nullptr && !is_valid_utf8(hints_json))
      return set_error(OPSGRAPH_INVALID_UTF8, "hints_json is not valid UTF-8");
    auto hints = parse_hints(hints_json);
    if (!hints)
      return set_error(hints.error());
    auto decision = router->router.route(request_utf8, hints.value());
    if (!decision)
      return set_error(decision.error());
    *decision_json_out = copy_out(with_schema_version(json::encode(decision.value())));
    return OPSGRAPH_OK;
  });
}

void opsgraph_router_destroy(opsgraph_router* router) {
  if (router == nullptr || router->tag != opsgraph_router::kTag)
    return;
  router->tag = 0;
  delete router;
}

}  // extern "C"
