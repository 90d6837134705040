#pragma once
// The two sources typed codecs read from: json::Reader, forward-only over JSON text (simdjson
// ondemand behind an opaque handle, so nothing is materialised that the codec does not keep), and
// json::ValueReader, over a json::Value already in memory. Both offer the same calls, so a codec
// written once as a template over its source decodes from text and from a Value alike.
//
// Errors found below a member or element come back with that member's path already prefixed
// (`steps[2].agent: expected string, got number`), so codecs never build paths themselves.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <opsgraph/core/json.hpp>
#include <opsgraph/core/json_value.hpp>
#include <opsgraph/core/result.hpp>
#include <opsgraph/export.hpp>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

namespace opsgraph::json {

/// A number as read: exact when it is an integer that fits int64 (or, from text, uint64), else a
/// double.
using Number = std::variant<std::int64_t, std::uint64_t, double>;

class Reader;

namespace detail {

/// A non-owning reference to a callable, cheap to pass across the library boundary (two words,
/// no allocation). The callable must outlive the call it is passed to.
template <class Signature>
class FunctionRef;

/// A callable other than `Ref` itself that can be called as R(Args...).
template <class F, class Ref, class R, class... Args>
concept referable =
    !std::is_same_v<std::remove_cvref_t<F>, Ref> && std::is_invocable_r_v<R, F&, Args...>;

template <class R, class... Args>
class FunctionRef<R(Args...)> {
 public:
  template <referable<FunctionRef, R, Args...> F>
  FunctionRef(F&& f) noexcept  // NOLINT(google-explicit-constructor): a reference, like span
      : object_(const_cast<void*>(static_cast<const void*>(std::addressof(f)))),
        call_([](void* object, Args... args) -> R {
          return (*static_cast<std::remove_reference_t<F>*>(object))(std::forward<Args>(args)...);
        }) {}

  R operator()(Args... args) const { return call_(object_, std::forward<Args>(args)...); }

 private:
  void* object_;
  R (*call_)(void*, Args...);
};

using MemberFn = FunctionRef<result<void>(std::string_view, Reader&)>;
using ElementFn = FunctionRef<result<void>(std::size_t, Reader&)>;
using RootFn = FunctionRef<result<void>(Reader&)>;

// Path bookkeeping of decode errors. A decode Error carries details {"path": p} and the message
// "p: what" (just "what" when p is empty); these rewrite both as an error travels up.
OPSGRAPH_API void prefix_key(Error& error, std::string_view key);
OPSGRAPH_API void prefix_index(Error& error, std::size_t index);
/// An errc::invalid_argument decode Error saying `what`, at an empty path.
OPSGRAPH_API Error decode_error(std::string_view what);
/// `expected <expected>, got <kind>`, at an empty path.
OPSGRAPH_API Error type_error(std::string_view expected, Kind got);

/// Parses `text` within `limits` and calls `on_root` with a Reader on its root value; then checks
/// that nothing but whitespace follows. The machinery under json::parse and json::decode.
OPSGRAPH_API result<void> read_text(std::string_view text, const Limits& limits, RootFn on_root);

struct ReaderAccess;

}  // namespace detail

/// A cursor on one value of a JSON text being parsed. Codecs receive it by reference from
/// json::decode and consume the value with exactly one read_* or skip call (one read_object or
/// read_array for containers); a Reader is only valid inside the call that handed it over, and
/// strings it returns live until the whole decode ends. Not thread-safe; not copyable.
class OPSGRAPH_API Reader {
 public:
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;

  /// The kind of the value, without consuming it.
  result<Kind> kind();
  result<void> read_null();
  result<bool> read_bool();
  /// Any JSON number; `expected` names what the caller wanted in a type error ("integer").
  result<Number> read_number(std::string_view expected = "number");
  /// The unescaped string; it stays valid until the decode that produced this Reader returns.
  result<std::string_view> read_string();
  /// Materialises the value, with the same checks json::parse makes (depth, duplicate names).
  result<Value> read_value();
  /// Consumes the value without keeping it, still validating all of it.
  result<void> skip();

  /// Calls `on_member(std::string_view name, Reader& value)` for each member in text order; a
  /// failure stops the walk and comes back with `name` prefixed to its path.
  template <class F>
  result<void> read_object(F&& on_member) {
    return visit_object(detail::MemberFn(on_member));
  }
  /// Calls `on_element(std::size_t index, Reader& value)` for each element in order.
  template <class F>
  result<void> read_array(F&& on_element) {
    return visit_array(detail::ElementFn(on_element));
  }

 private:
  friend struct detail::ReaderAccess;
  struct Node;
  explicit Reader(Node& node) noexcept : node_(&node) {}

  result<void> visit_object(detail::MemberFn on_member);
  result<void> visit_array(detail::ElementFn on_element);

  Node* node_;
};

/// The Reader calls over a Value in memory (from_value). Holds a reference: the Value must
/// outlive it. Thread-safe in the way a const Value is.
class ValueReader {
 public:
  explicit ValueReader(const Value& value) noexcept : value_(&value) {}

  const Value& value() const noexcept { return *value_; }

  result<Kind> kind() const noexcept { return value_->kind(); }
  result<void> read_null() const {
    if (value_->is_null())
      return ok();
    return fail(detail::type_error("null", value_->kind()));
  }
  result<bool> read_bool() const {
    if (const bool* b = value_->if_bool())
      return *b;
    return fail(detail::type_error("boolean", value_->kind()));
  }
  result<Number> read_number(std::string_view expected = "number") const {
    if (const std::int64_t* i = value_->if_integer())
      return Number(*i);
    if (const double* d = value_->if_double())
      return Number(*d);
    return fail(detail::type_error(expected, value_->kind()));
  }
  result<std::string_view> read_string() const {
    if (const std::string* s = value_->if_string())
      return std::string_view(*s);
    return fail(detail::type_error("string", value_->kind()));
  }
  result<Value> read_value() const { return *value_; }
  result<void> skip() const noexcept { return ok(); }

  template <class F>
  result<void> read_object(F&& on_member) const {
    const Object* object = value_->if_object();
    if (object == nullptr)
      return fail(detail::type_error("object", value_->kind()));
    for (const auto& [name, member] : *object) {
      ValueReader child(member);
      result<void> r = on_member(std::string_view(name), child);
      if (!r) {
        Error error = std::move(r).error();
        detail::prefix_key(error, name);
        return fail(std::move(error));
      }
    }
    return ok();
  }
  template <class F>
  result<void> read_array(F&& on_element) const {
    const Array* array = value_->if_array();
    if (array == nullptr)
      return fail(detail::type_error("array", value_->kind()));
    for (std::size_t i = 0; i < array->size(); ++i) {
      ValueReader child((*array)[i]);
      result<void> r = on_element(i, child);
      if (!r) {
        Error error = std::move(r).error();
        detail::prefix_index(error, i);
        return fail(std::move(error));
      }
    }
    return ok();
  }

 private:
  const Value* value_;
};

}  // namespace opsgraph::json
