#pragma once
// The machinery every json::Codec<T> shares: the primary template, how a codec is found for a
// writer or a reader, and the error texts all instantiations use. Users include
// <opsgraph/core/json_codec.hpp>, which pulls this in with the built-in codecs.

#include <concepts>
#include <cstdint>
#include <opsgraph/core/clock.hpp>
#include <opsgraph/core/json.hpp>
#include <opsgraph/core/json_reader.hpp>
#include <opsgraph/core/json_schema.hpp>
#include <opsgraph/core/json_value.hpp>
#include <opsgraph/core/json_writer.hpp>
#include <opsgraph/core/result.hpp>
#include <opsgraph/export.hpp>
#include <optional>
#include <string_view>
#include <type_traits>
#include <utility>

namespace opsgraph::json {

/// How T is written and read. Specialize it for a type that a Schema cannot describe:
///
///   template <>
///   struct opsgraph::json::Codec<Ipv4> {
///     static void write(json::Writer& w, const Ipv4& ip) { w.string(ip.to_string()); }
///     static result<Ipv4> from_value(const json::Value& v);  // fail(errc::invalid_argument, ...)
///   };
///
/// The error of from_value gets the member's path prefixed for you. The built-in codecs instead
/// offer `template <class Sink> static void write(Sink&, const T&)` (Sink: Writer or ValueBuilder)
/// and `template <class Source> static result<void> read(Source&, T&)` (Source: Reader or
/// ValueReader), which decode straight from text; a custom codec may do the same.
template <class T>
struct Codec;

namespace detail {

template <class T>
inline constexpr bool kAlwaysFalse = false;

template <class T>
concept struct_schema = requires {
  Schema<T>::fields;
};
template <class T>
concept enum_schema = std::is_enum_v<T> && requires {
  Schema<T>::names;
};

template <class T, class Sink>
concept sink_codec = requires(Sink& sink, const T& value) {
  Codec<T>::write(sink, value);
};
template <class T, class Source>
concept source_codec = requires(Source& source, T& out) {
  { Codec<T>::read(source, out) } -> std::same_as<result<void>>;
};
template <class T>
concept value_codec = requires(const Value& value) {
  { Codec<T>::from_value(value) } -> std::same_as<result<T>>;
};

template <class T>
inline constexpr bool kIsOptional = false;
template <class T>
inline constexpr bool kIsOptional<std::optional<T>> = true;

// Error texts shared by every instantiation (json_codec.cpp).
OPSGRAPH_API Error missing_field_error(std::string_view name);
OPSGRAPH_API Error not_an_integer_error(double d);
OPSGRAPH_API Error out_of_range_error(const Number& n, std::int64_t min, std::uint64_t max);
OPSGRAPH_API Error unknown_name_error(std::string_view text, std::string_view expected);
OPSGRAPH_API result<TimePoint> read_timestamp(std::string_view text);
OPSGRAPH_API Value reparse(std::string_view text);

/// Reuses one Writer per thread for json::encode (a fresh one when nested encodes need another).
class OPSGRAPH_API ScratchWriter {
 public:
  ScratchWriter();
  ~ScratchWriter();
  ScratchWriter(const ScratchWriter&) = delete;
  ScratchWriter& operator=(const ScratchWriter&) = delete;
  Writer& get() noexcept { return *writer_; }

 private:
  Writer* writer_;
  bool owned_;
};

template <class T, class U>
result<void> assign(T& out, result<U>&& r) {
  if (!r)
    return fail(std::move(r).error());
  out = std::move(r).value();
  return ok();
}

template <class Sink, class T>
void write_value(Sink& sink, const T& value) {
  if constexpr (sink_codec<T, Sink>) {
    Codec<T>::write(sink, value);
  } else if constexpr (sink_codec<T, Writer>) {
    // A custom codec that only writes text, asked for a Value: write the text and read it back.
    Writer text;
    Codec<T>::write(text, value);
    sink.value(reparse(text.view()));
  } else {
    static_assert(kAlwaysFalse<T>,
                  "no json::Codec<T>: declare json::Schema<T> or specialize json::Codec<T>");
  }
}

template <class Source, class T>
result<void> read_into(Source& source, T& out) {
  if constexpr (source_codec<T, Source>) {
    return Codec<T>::read(source, out);
  } else if constexpr (value_codec<T>) {
    if constexpr (std::is_same_v<Source, ValueReader>) {
      return assign(out, Codec<T>::from_value(source.value()));
    } else {
      result<Value> value = source.read_value();
      if (!value)
        return fail(std::move(value).error());
      return assign(out, Codec<T>::from_value(value.value()));
    }
  } else {
    static_assert(kAlwaysFalse<T>,
                  "no json::Codec<T>: declare json::Schema<T> or specialize json::Codec<T>");
  }
}

}  // namespace detail
}  // namespace opsgraph::json
