#pragma once
// The built-in json::Codec specializations for scalars and standard containers: bool, integers
// (range-checked), floating point, std::string, json::Value, opsgraph::TimePoint (RFC 3339),
// std::vector, std::optional and std::map<std::string, T>. Stateless; thread-safe.

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <opsgraph/core/clock.hpp>
#include <opsgraph/core/json_codec_core.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace opsgraph::json {
namespace detail {

template <class T>
result<void> to_integer(const Number& n, T& out) {
  constexpr auto kMin = std::numeric_limits<T>::min();
  constexpr auto kMax = std::numeric_limits<T>::max();
  if (const auto* i = std::get_if<std::int64_t>(&n)) {
    if (std::in_range<T>(*i)) {
      out = static_cast<T>(*i);
      return ok();
    }
  } else if (const auto* u = std::get_if<std::uint64_t>(&n)) {
    if (std::in_range<T>(*u)) {
      out = static_cast<T>(*u);
      return ok();
    }
  } else {
    const double d = std::get<double>(n);
    if (!(std::trunc(d) == d))
      return fail(not_an_integer_error(d));
    if (d >= -0x1p63 && d < 0x1p63 && std::in_range<T>(static_cast<std::int64_t>(d))) {
      out = static_cast<T>(static_cast<std::int64_t>(d));
      return ok();
    }
    if (d >= 0 && d < 0x1p64 && std::in_range<T>(static_cast<std::uint64_t>(d))) {
      out = static_cast<T>(static_cast<std::uint64_t>(d));
      return ok();
    }
  }
  return fail(
      out_of_range_error(n, static_cast<std::int64_t>(kMin), static_cast<std::uint64_t>(kMax)));
}

inline double to_double(const Number& n) noexcept {
  return std::visit([](auto v) { return static_cast<double>(v); }, n);
}

}  // namespace detail

template <>
struct Codec<bool> {
  template <class Sink>
  static void write(Sink& sink, bool value) {
    sink.boolean(value);
  }
  template <class Source>
  static result<void> read(Source& source, bool& out) {
    return detail::assign(out, source.read_bool());
  }
};

template <detail::integer T>
struct Codec<T> {
  template <class Sink>
  static void write(Sink& sink, T value) {
    if constexpr (std::is_signed_v<T>) {
      sink.integer(static_cast<std::int64_t>(value));
    } else {
      sink.unsigned_integer(static_cast<std::uint64_t>(value));
    }
  }
  template <class Source>
  static result<void> read(Source& source, T& out) {
    result<Number> n = source.read_number("integer");
    if (!n)
      return fail(std::move(n).error());
    return detail::to_integer(n.value(), out);
  }
};

template <std::floating_point T>
struct Codec<T> {
  template <class Sink>
  static void write(Sink& sink, T value) {
    sink.number(static_cast<double>(value));
  }
  template <class Source>
  static result<void> read(Source& source, T& out) {
    result<Number> n = source.read_number();
    if (!n)
      return fail(std::move(n).error());
    const double d = detail::to_double(n.value());
    if (std::abs(d) > static_cast<double>(std::numeric_limits<T>::max())) {
      return fail(detail::decode_error("number out of range of float"));
    }
    out = static_cast<T>(d);
    return ok();
  }
};

template <>
struct Codec<std::string> {
  template <class Sink>
  static void write(Sink& sink, const std::string& value) {
    sink.string(value);
  }
  template <class Source>
  static result<void> read(Source& source, std::string& out) {
    result<std::string_view> text = source.read_string();
    if (!text)
      return fail(std::move(text).error());
    out.assign(text.value());
    return ok();
  }
};

template <>
struct Codec<Value> {
  template <class Sink>
  static void write(Sink& sink, const Value& value) {
    sink.value(value);
  }
  template <class Source>
  static result<void> read(Source& source, Value& out) {
    return detail::assign(out, source.read_value());
  }
};

template <>
struct Codec<TimePoint> {
  template <class Sink>
  static void write(Sink& sink, TimePoint value) {
    std::array<char, kTimestampLength> text;
    format_timestamp(value, text);
    sink.string(std::string_view(text.data(), text.size()));
  }
  template <class Source>
  static result<void> read(Source& source, TimePoint& out) {
    result<std::string_view> text = source.read_string();
    if (!text)
      return fail(std::move(text).error());
    return detail::assign(out, detail::read_timestamp(text.value()));
  }
};

template <class T, class Allocator>
struct Codec<std::vector<T, Allocator>> {
  template <class Sink>
  static void write(Sink& sink, const std::vector<T, Allocator>& values) {
    sink.begin_array();
    for (const T& value : values)
      detail::write_value(sink, value);
    sink.end_array();
  }
  template <class Source>
  static result<void> read(Source& source, std::vector<T, Allocator>& out) {
    out.clear();
    return source.read_array([&out](std::size_t, auto& element) -> result<void> {
      if constexpr (std::is_same_v<T, bool>) {
        bool b = false;  // vector<bool> has no T& to read into
        OPSGRAPH_TRY(detail::read_into(element, b));
        out.push_back(b);
        return ok();
      } else {
        return detail::read_into(element, out.emplace_back());
      }
    });
  }
};

template <class T>
struct Codec<std::optional<T>> {
  template <class Sink>
  static void write(Sink& sink, const std::optional<T>& value) {
    if (value) {
      detail::write_value(sink, *value);
    } else {
      sink.null();
    }
  }
  template <class Source>
  static result<void> read(Source& source, std::optional<T>& out) {
    OPSGRAPH_TRY(Kind kind, source.kind());
    if (kind == Kind::null) {
      out.reset();
      return source.read_null();
    }
    return detail::read_into(source, out.emplace());
  }
};

/// A value shared by its holders and never changed: written as the value (null when there is none),
/// read into a new one.
template <class T>
struct Codec<std::shared_ptr<const T>> {
  template <class Sink>
  static void write(Sink& sink, const std::shared_ptr<const T>& value) {
    if (value) {
      detail::write_value(sink, *value);
    } else {
      sink.null();
    }
  }
  template <class Source>
  static result<void> read(Source& source, std::shared_ptr<const T>& out) {
    OPSGRAPH_TRY(Kind kind, source.kind());
    if (kind == Kind::null) {
      out.reset();
      return source.read_null();
    }
    T value;
    OPSGRAPH_TRY(detail::read_into(source, value));
    out = std::make_shared<const T>(std::move(value));
    return ok();
  }
};

template <class T, class Compare, class Allocator>
struct Codec<std::map<std::string, T, Compare, Allocator>> {
  using Map = std::map<std::string, T, Compare, Allocator>;
  template <class Sink>
  static void write(Sink& sink, const Map& values) {
    sink.begin_object();
    for (const auto& [name, value] : values) {
      sink.key(name);
      detail::write_value(sink, value);
    }
    sink.end_object();
  }
  template <class Source>
  static result<void> read(Source& source, Map& out) {
    out.clear();
    return source.read_object([&out](std::string_view name, auto& member) -> result<void> {
      auto [it, inserted] = out.try_emplace(std::string(name));
      if (!inserted)
        return fail(detail::decode_error("duplicate member name"));
      return detail::read_into(member, it->second);
    });
  }
};

}  // namespace opsgraph::json
