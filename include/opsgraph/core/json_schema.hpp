#pragma once
// How a type declares its JSON shape once, for both directions: a struct lists its fields, an
// enum its names, in a specialization of json::Schema<T>:
//
//   template <>
//   struct opsgraph::json::Schema<StepDetail> {
//     static constexpr auto fields = std::make_tuple(
//         json::field("step_number", &StepDetail::step_number),
//         json::field("agent", &StepDetail::agent),
//         json::optional_field("depends_on", &StepDetail::depends_on));
//     // Optional: without it, unknown members are skipped (though still checked to be JSON).
//     static constexpr bool allow_unknown = false;
//   };
//
//   template <>
//   struct opsgraph::json::Schema<Confidence> {
//     static constexpr auto names = json::enum_names<Confidence>(
//         {{Confidence::low, "low"}, {Confidence::medium, "medium"}, {Confidence::high, "high"}});
//   };
//
// <opsgraph/core/json_codec.hpp> turns these into encode/decode. Declarations only: no state.

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>
#include <type_traits>

namespace opsgraph::json {

namespace detail {
template <class T>
concept enumeration = std::is_enum_v<T>;
}  // namespace detail

/// The JSON shape of T; specialize it with `fields` (a tuple of json::field / json::optional_field)
/// and optionally `allow_unknown`, or, for an enum, with `names` (json::enum_names).
template <class T>
struct Schema;

/// One member of a struct's JSON object: its name, where it lives, and whether it must be present.
/// A std::optional member is never required (absent or null both mean nullopt).
template <class Class, class Member>
struct Field {
  std::string_view name;
  Member Class::*member;
  bool required;
};

/// A member that must be present when decoding (unless its type is std::optional).
template <class Class, class Member>
constexpr Field<Class, Member> field(std::string_view name, Member Class::*member) noexcept {
  return {name, member, true};
}

/// A member that may be absent when decoding; it then keeps its default member initializer.
template <class Class, class Member>
constexpr Field<Class, Member> optional_field(std::string_view name,
                                              Member Class::*member) noexcept {
  return {name, member, false};
}

/// One enumerator and its JSON string.
template <class Enum>
struct EnumName {
  Enum value;
  std::string_view name;
};

/// The name table of an enum, from a braced list: enum_names<E>({{E::a, "a"}, {E::b, "b"}}).
template <detail::enumeration Enum, std::size_t N>
constexpr std::array<EnumName<Enum>, N> enum_names(const EnumName<Enum> (&entries)[N]) noexcept {
  std::array<EnumName<Enum>, N> table{};
  for (std::size_t i = 0; i < N; ++i)
    table[i] = entries[i];
  return table;
}

/// The JSON name of an enumerator, from Schema<Enum>::names; empty when the table lacks it.
template <detail::enumeration Enum>
constexpr std::string_view enum_name(Enum value) noexcept {
  for (const auto& entry : Schema<Enum>::names) {
    if (entry.value == value)
      return entry.name;
  }
  return {};
}

/// The enumerator named `name` in Schema<Enum>::names, or nullopt.
template <detail::enumeration Enum>
constexpr std::optional<Enum> enum_value(std::string_view name) noexcept {
  for (const auto& entry : Schema<Enum>::names) {
    if (entry.name == name)
      return entry.value;
  }
  return std::nullopt;
}

}  // namespace opsgraph::json
