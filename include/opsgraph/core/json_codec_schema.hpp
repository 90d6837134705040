#pragma once
// The json::Codec specializations behind json::Schema: enums through their name table, structs
// through their field list (in declaration order out; any order in, with unknown, missing and
// duplicate members reported by name). Stateless; thread-safe.

#include <array>
#include <cstddef>
#include <cstdint>
#include <opsgraph/core/json_codec_core.hpp>
#include <opsgraph/core/json_key.hpp>
#include <opsgraph/core/json_schema.hpp>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

namespace opsgraph::json {

template <detail::enum_schema T>
struct Codec<T> {
  template <class Sink>
  static void write(Sink& sink, T value) {
    for (const auto& entry : Schema<T>::names) {
      if (entry.value == value) {
        sink.string(entry.name);
        return;
      }
    }
    // Not in the table (a cast from an integer): the number is written, and decode rejects it.
    sink.integer(static_cast<std::int64_t>(static_cast<std::underlying_type_t<T>>(value)));
  }
  template <class Source>
  static result<void> read(Source& source, T& out) {
    result<std::string_view> text = source.read_string();
    if (!text)
      return fail(std::move(text).error());
    for (const auto& entry : Schema<T>::names) {
      if (entry.name == text.value()) {
        out = entry.value;
        return ok();
      }
    }
    return fail(detail::unknown_name_error(text.value(), expected_names()));
  }

 private:
  static std::string expected_names() {
    std::string list;
    for (const auto& entry : Schema<T>::names) {
      if (!list.empty())
        list += ", ";
      list += entry.name;
    }
    return list;
  }
};

template <detail::struct_schema T>
struct Codec<T> {
  template <class Sink>
  static void write(Sink& sink, const T& value) {
    sink.begin_object();
    write_fields(sink, value, std::make_index_sequence<kCount>{});
    sink.end_object();
  }

  template <class Source>
  static result<void> read(Source& source, T& out) {
    std::array<bool, kCount> seen{};
    std::size_t expected = 0;
    OPSGRAPH_TRY(source.read_object([&](std::string_view name, auto& member) -> result<void> {
      const std::size_t index = find(name, expected);
      if (index == kCount) {
        if constexpr (kAllowUnknown) {
          return member.skip();
        } else {
          return fail(detail::decode_error("unknown field"));
        }
      }
      if (seen[index])
        return fail(detail::decode_error("duplicate member name"));
      seen[index] = true;
      expected = index + 1;
      return read_field(index, member, out, std::make_index_sequence<kCount>{});
    }));
    for (std::size_t i = 0; i < kCount; ++i) {
      if (!seen[i] && kRequired[i])
        return fail(detail::missing_field_error(kNames[i]));
    }
    return ok();
  }

 private:
  using Fields = std::remove_cvref_t<decltype(Schema<T>::fields)>;
  static constexpr std::size_t kCount = std::tuple_size_v<Fields>;

  static constexpr std::array<std::string_view, kCount> kNames = std::apply(
      [](const auto&... field) { return std::array<std::string_view, kCount>{field.name...}; },
      Schema<T>::fields);

  // A std::optional member may be absent whatever its field says.
  template <class Class, class Member>
  static constexpr bool is_required(const Field<Class, Member>& field) noexcept {
    return field.required && !detail::kIsOptional<Member>;
  }

  // Every name's text, `"name":`, one after another, and each field's KeyText pointing into it.
  static constexpr auto kQuoted = detail::quote_names<detail::quoted_size(kNames)>(kNames);
  static constexpr std::array<KeyText, kCount> kKeys = detail::key_texts(
      kNames, std::string_view(kQuoted.data(), kQuoted.size()), std::make_index_sequence<kCount>{});

  template <class Sink, std::size_t... I>
  static void write_fields(Sink& sink, const T& value, std::index_sequence<I...>) {
    ((sink.key(kKeys[I]),
      detail::write_value(sink, value.*(std::get<I>(Schema<T>::fields).member))),
     ...);
  }

  static constexpr std::array<bool, kCount> kRequired = std::apply(
      [](const auto&... field) { return std::array<bool, kCount>{is_required(field)...}; },
      Schema<T>::fields);

  static constexpr bool kAllowUnknown = [] {
    if constexpr (requires { Schema<T>::allow_unknown; }) {
      return static_cast<bool>(Schema<T>::allow_unknown);
    } else {
      return true;
    }
  }();

  // Members usually arrive in declaration order, so the one after the last match is tried first.
  static std::size_t find(std::string_view name, std::size_t expected) noexcept {
    if (expected < kCount && kNames[expected] == name)
      return expected;
    for (std::size_t i = 0; i < kCount; ++i) {
      if (kNames[i] == name)
        return i;
    }
    return kCount;
  }

  template <std::size_t I, class Source>
  static result<void> read_one(Source& member, T& out) {
    return detail::read_into(member, out.*(std::get<I>(Schema<T>::fields).member));
  }

  // Dispatches on the runtime index through a table of one reader per field.
  template <class Source, std::size_t... I>
  static result<void> read_field(std::size_t index, Source& member, T& out,
                                 std::index_sequence<I...>) {
    static constexpr std::array<result<void> (*)(Source&, T&), kCount> kReaders{
        &read_one<I, Source>...};
    return kReaders[index](member, out);
  }
};

}  // namespace opsgraph::json
