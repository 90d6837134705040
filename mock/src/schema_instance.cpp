#include "schema_instance.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace opsgraph::mock::detail {

namespace {

// Deep enough for any real answer schema; stops self-referencing $refs.
constexpr int kMaxDepth = 24;
// Schemas arrive from clients: these caps keep an absurd one (minItems 1e9 at every level, a
// minLength of a gigabyte) from exhausting the server. Real schemas stay far below them.
constexpr std::int64_t kMaxCount = 1000;
constexpr std::size_t kMaxValues = 10000;
// Integer bounds are clamped here before conversion, so any double converts exactly.
constexpr double kIntegerRange = 1e15;

class InstanceMaker {
 public:
  explicit InstanceMaker(const json::Value& root) : root_(root) {}

  // `variant` makes sibling array items differ, so uniqueItems holds.
  json::Value make(const json::Value& schema, int depth, std::size_t variant) const {
    if (depth > kMaxDepth || !schema.is_object() || values_made_ >= kMaxValues)
      return "mock value";
    ++values_made_;
    if (const auto* ref = schema.find("$ref"); ref && ref->is_string()) {
      if (const auto* target = resolve(*ref->if_string()))
        return make(*target, depth + 1, variant);
    }
    if (const auto* constant = schema.find("const"))
      return *constant;
    if (const auto* choices = schema.find("enum"); choices && choices->is_array()) {
      const auto& values = *choices->if_array();
      if (!values.empty())
        return values[variant % values.size()];
    }
    for (std::string_view combinator : {"anyOf", "oneOf", "allOf"}) {
      const auto* branches = schema.find(combinator);
      if (branches && branches->is_array() && !branches->if_array()->empty())
        return make(branches->if_array()->front(), depth + 1, variant);
    }
    const std::string type = type_of(schema);
    if (type == "object")
      return make_object(schema, depth, variant);
    if (type == "array")
      return make_array(schema, depth, variant);
    if (type == "integer")
      return make_integer(schema, variant);
    if (type == "number")
      return make_number(schema, variant);
    if (type == "boolean")
      return variant % 2 == 0;
    if (type == "null")
      return nullptr;
    return make_string(schema, variant);
  }

 private:
  const json::Value* resolve(std::string_view ref) const {
    for (std::string_view prefix : {"#/$defs/", "#/definitions/"}) {
      if (ref.starts_with(prefix)) {
        const auto* defs = root_.find(prefix.substr(2, prefix.size() - 3));
        return defs ? defs->find(ref.substr(prefix.size())) : nullptr;
      }
    }
    return ref == "#" ? &root_ : nullptr;
  }

  // The first non-null type of a type list; inferred from keywords when absent.
  static std::string type_of(const json::Value& schema) {
    if (const auto* type = schema.find("type")) {
      if (const auto* name = type->if_string())
        return *name;
      if (const auto* names = type->if_array()) {
        for (const auto& name : *names) {
          if (name.is_string() && *name.if_string() != "null")
            return *name.if_string();
        }
        return "null";
      }
    }
    if (schema.find("properties") != nullptr)
      return "object";
    if (schema.find("items") != nullptr)
      return "array";
    return "string";
  }

  json::Value make_object(const json::Value& schema, int depth, std::size_t variant) const {
    json::Value object = json::Object{};
    // Every listed property, required or not: that is what strict structured outputs send.
    if (const auto* properties = schema.find("properties"); properties && properties->is_object()) {
      for (const auto& [name, property] : *properties->if_object())
        object.set(name, make(property, depth + 1, variant));
    }
    // A required name without a property schema can take any value.
    if (const auto* required = schema.find("required"); required && required->is_array()) {
      for (const auto& name : *required->if_array()) {
        if (name.is_string() && object.find(*name.if_string()) == nullptr)
          object.set(*name.if_string(), "mock value");
      }
    }
    return object;
  }

  json::Value make_array(const json::Value& schema, int depth, std::size_t variant) const {
    const auto min_items = integer_keyword(schema, "minItems").value_or(0);
    const auto max_items = integer_keyword(schema, "maxItems");
    std::int64_t count = std::max<std::int64_t>(min_items, 1);
    if (max_items)
      count = std::min(count, *max_items);
    json::Array items;
    const auto* item_schema = schema.find("items");
    const json::Value any = json::Object{};
    for (std::int64_t i = 0; i < count && values_made_ < kMaxValues; ++i) {
      items.push_back(make(item_schema && item_schema->is_object() ? *item_schema : any, depth + 1,
                           variant + static_cast<std::size_t>(i)));
    }
    return items;
  }

  json::Value make_integer(const json::Value& schema, std::size_t variant) const {
    auto low = bound(schema, "minimum", "exclusiveMinimum", true, 1.0);
    auto high = bound(schema, "maximum", "exclusiveMaximum", false, 1.0);
    auto lowest = low ? to_integer(std::ceil(*low)) : std::int64_t{1};
    auto highest = high ? to_integer(std::floor(*high)) : lowest + 1000;
    if (!low && high)
      lowest = std::min<std::int64_t>(1, highest);
    if (highest < lowest)
      return lowest;
    return lowest + static_cast<std::int64_t>(variant) % (highest - lowest + 1);
  }

  json::Value make_number(const json::Value& schema, std::size_t variant) const {
    // Every value chosen below lies strictly inside the bounds, so exclusive ones need no nudge.
    auto low = bound(schema, "minimum", "exclusiveMinimum", true, 0.0);
    auto high = bound(schema, "maximum", "exclusiveMaximum", false, 0.0);
    if (low && high)
      return *low + (*high - *low) * (0.5 + 0.1 * static_cast<double>(variant % 4)) / 1.5;
    if (low)
      return *low + 0.5 + static_cast<double>(variant);
    if (high)
      return std::min(0.5, *high - 0.5) - static_cast<double>(variant);
    return 0.5 + static_cast<double>(variant);
  }

  json::Value make_string(const json::Value& schema, std::size_t variant) const {
    std::string text = formatted(schema);
    if (variant > 0)
      text += " " + std::to_string(variant + 1);
    const auto min_length = integer_keyword(schema, "minLength").value_or(0);
    const auto max_length = integer_keyword(schema, "maxLength");
    if (static_cast<std::int64_t>(text.size()) < min_length)
      text.append(static_cast<std::size_t>(min_length) - text.size(), 'x');
    if (max_length && static_cast<std::int64_t>(text.size()) > *max_length)
      text.resize(static_cast<std::size_t>(std::max<std::int64_t>(*max_length, 0)));
    return text;
  }

  static std::string formatted(const json::Value& schema) {
    const auto* format = schema.find("format");
    const std::string name = format && format->is_string() ? *format->if_string() : "";
    if (name == "date-time")
      return "2026-01-01T00:00:00Z";
    if (name == "date")
      return "2026-01-01";
    if (name == "time")
      return "00:00:00Z";
    if (name == "email")
      return "mock@example.com";
    if (name == "uri" || name == "url")
      return "https://example.com/mock";
    if (name == "uuid")
      return "00000000-0000-4000-8000-000000000000";
    return "mock value";
  }

  static std::optional<std::int64_t> integer_keyword(const json::Value& schema,
                                                     std::string_view key) {
    const auto* value = schema.find(key);
    if (value == nullptr || !value->is_number())
      return std::nullopt;
    return std::clamp(to_integer(value->as_double()), std::int64_t{0}, kMaxCount);
  }

  static std::int64_t to_integer(double value) {
    return static_cast<std::int64_t>(std::clamp(value, -kIntegerRange, kIntegerRange));
  }

  // The tighter of an inclusive and an exclusive bound, the exclusive one moved `step` inward.
  static std::optional<double> bound(const json::Value& schema, std::string_view inclusive,
                                     std::string_view exclusive, bool lower, double step) {
    std::optional<double> result;
    if (const auto* value = schema.find(inclusive); value && value->is_number())
      result = value->as_double();
    if (const auto* value = schema.find(exclusive); value && value->is_number()) {
      const double nudged = value->as_double() + (lower ? step : -step);
      result = result ? (lower ? std::max(*result, nudged) : std::min(*result, nudged)) : nudged;
    }
    return result;
  }

  const json::Value& root_;
  mutable std::size_t values_made_ = 0;
};

}  // namespace

json::Value instance_of(const json::Value& schema) {
  return InstanceMaker(schema).make(schema, 0, 0);
}

}  // namespace opsgraph::mock::detail
