#include "task_validation.hpp"

#include <opsgraph/core/json.hpp>
#include <opsgraph/engine/requests.hpp>
#include <string>

#include "core/json_utf8.hpp"

namespace opsgraph::engine::detail {

result<void> check_utf8(std::string_view field, std::string_view text) {
  const std::size_t valid = json::detail::utf8_valid_prefix(text);
  if (valid == text.size())
    return ok();
  return fail(errc::invalid_argument,
              std::string(field) + ": not UTF-8 (at byte " + std::to_string(valid) + ")");
}

result<void> check_context(const json::Value& context) {
  if (context.is_null())
    return ok();
  const auto* members = context.if_object();
  if (!members)
    return fail(errc::invalid_argument, "context: expected an object");
  if (members->size() > kMaxContextKeys) {
    return fail(errc::invalid_argument, "context: at most " + std::to_string(kMaxContextKeys) +
                                            " keys, got " + std::to_string(members->size()));
  }
  for (const auto& [key, value] : *members) {
    OPSGRAPH_TRY(check_utf8("context key", key));
    if (const auto* text = value.if_string()) {
      OPSGRAPH_TRY(check_utf8("context." + key, *text));
    }
    if (!value.is_string() && !value.is_number() && !value.is_bool()) {
      return fail(errc::invalid_argument, "context." + key +
                                              ": expected a string, number or boolean, got " +
                                              std::string(json::kind_name(value.kind())));
    }
  }
  if (json::dump(context).size() > kMaxContextBytes) {
    return fail(errc::payload_too_large,
                "context: at most " + std::to_string(kMaxContextBytes) + " bytes of JSON");
  }
  return ok();
}

}  // namespace opsgraph::engine::detail
