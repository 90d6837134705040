#pragma once
// opsgraph::json::Value — a small JSON document model for the open-ended parts of opsgraph's data
// (error details, request context, interrupt payloads, LLM schemas). Text <-> Value is
// <opsgraph/core/json.hpp>; typed data goes through the codecs of <opsgraph/core/json_codec.hpp>.
//
// A Value is a regular value type: copyable, movable, comparable. It is not thread-safe to mutate
// one Value from two threads; reading a const Value from many threads is safe.

#include <concepts>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace opsgraph::json {

class Value;

namespace detail {
/// Integral types other than bool: what a Value stores as an integer.
template <class T>
concept integer = std::integral<T> && !std::same_as<T, bool>;
}  // namespace detail

/// A JSON array.
using Array = std::vector<Value>;
/// A JSON object: members in insertion order (objects here are small; order is kept so that what
/// opsgraph writes reads the way it was built).
using Object = std::vector<std::pair<std::string, Value>>;

/// The kinds a Value can hold. Integers that fit in int64 are kept exact; other numbers are double.
enum class Kind { null, boolean, integer, number, string, array, object };

/// The JSON type name of `kind` as error messages spell it: integers and doubles are both "number".
constexpr std::string_view kind_name(Kind kind) noexcept {
  switch (kind) {
    case Kind::null:
      return "null";
    case Kind::boolean:
      return "boolean";
    case Kind::integer:
    case Kind::number:
      return "number";
    case Kind::string:
      return "string";
    case Kind::array:
      return "array";
    case Kind::object:
      return "object";
  }
  return "unknown";
}

class Value {
 public:
  Value() noexcept = default;
  Value(std::nullptr_t) noexcept {}
  Value(bool b) noexcept : v_(b) {}
  template <detail::integer I>
  Value(I i) noexcept : v_(static_cast<std::int64_t>(i)) {}
  Value(double d) noexcept : v_(d) {}
  Value(std::string s) noexcept : v_(std::move(s)) {}
  Value(std::string_view s) : v_(std::string(s)) {}
  Value(const char* s) : v_(std::string(s)) {}
  Value(Array a) noexcept : v_(std::move(a)) {}
  Value(Object o) noexcept : v_(std::move(o)) {}

  Kind kind() const noexcept { return static_cast<Kind>(v_.index()); }
  bool is_null() const noexcept { return kind() == Kind::null; }
  bool is_bool() const noexcept { return kind() == Kind::boolean; }
  bool is_integer() const noexcept { return kind() == Kind::integer; }
  /// True for integers and doubles alike.
  bool is_number() const noexcept { return kind() == Kind::integer || kind() == Kind::number; }
  bool is_string() const noexcept { return kind() == Kind::string; }
  bool is_array() const noexcept { return kind() == Kind::array; }
  bool is_object() const noexcept { return kind() == Kind::object; }

  // Checked access: a null pointer when the Value holds another kind. Never throws.
  const bool* if_bool() const noexcept { return std::get_if<bool>(&v_); }
  const std::int64_t* if_integer() const noexcept { return std::get_if<std::int64_t>(&v_); }
  const double* if_double() const noexcept { return std::get_if<double>(&v_); }
  const std::string* if_string() const noexcept { return std::get_if<std::string>(&v_); }
  const Array* if_array() const noexcept { return std::get_if<Array>(&v_); }
  const Object* if_object() const noexcept { return std::get_if<Object>(&v_); }
  Array* if_array() noexcept { return std::get_if<Array>(&v_); }
  Object* if_object() noexcept { return std::get_if<Object>(&v_); }

  /// The number as a double, for integers and doubles; nullopt-like NaN is never produced: callers
  /// check is_number() first.
  double as_double() const noexcept {
    if (auto* i = if_integer())
      return static_cast<double>(*i);
    if (auto* d = if_double())
      return *d;
    return 0.0;
  }

  /// The member named `key` of an object, or nullptr (not an object, or no such member).
  const Value* find(std::string_view key) const noexcept {
    if (auto* o = if_object()) {
      for (auto& [k, v] : *o) {
        if (k == key)
          return &v;
      }
    }
    return nullptr;
  }

  /// Sets member `key` (replacing an existing one). A null Value becomes an empty object first;
  /// any other non-object kind is replaced by an object.
  Value& set(std::string_view key, Value value) {
    if (!is_object())
      v_ = Object{};
    auto& o = std::get<Object>(v_);
    for (auto& [k, v] : o) {
      if (k == key)
        return v = std::move(value);
    }
    return o.emplace_back(std::string(key), std::move(value)).second;
  }

  friend bool operator==(const Value&, const Value&) = default;

 private:
  std::variant<std::nullptr_t, bool, std::int64_t, double, std::string, Array, Object> v_;
};

}  // namespace opsgraph::json
