#pragma once
// Typed JSON codecs: a type declares its shape once (json::Schema<T>,
// <opsgraph/core/json_schema.hpp>) or specializes json::Codec<T>, and gets both directions:
//
//   std::string text = json::encode(step);                 // or json::write(writer, step)
//   result<StepDetail> back = json::decode<StepDetail>(text);
//   json::Value v = json::to_value(step);  result<StepDetail> s = json::from_value<StepDetail>(v);
//
// Supported out of the box: bool, integral types (range-checked on decode), float/double,
// std::string, std::vector<T>, std::optional<T> (absent or null <-> nullopt), std::map<std::string,
// T>, json::Value, opsgraph::TimePoint (RFC 3339 text), enums with Schema names, structs with
// Schema fields, nested to any depth. decode reads the text once, forward-only, straight into T.
//
// Decode failures are errc::invalid_argument naming the member that failed, e.g.
// `plan.steps[2].agent: expected string, got number`, `plan.summary: missing required field`,
// `plan.extra: unknown field`, with details {"path": "plan.steps[2].agent"}.
//
// Every function here is thread-safe (no shared state); no exception escapes decode/from_value.

#include <opsgraph/core/json.hpp>
#include <opsgraph/core/json_builder.hpp>
#include <opsgraph/core/json_codec_core.hpp>
#include <opsgraph/core/json_codec_schema.hpp>
#include <opsgraph/core/json_codec_std.hpp>
#include <opsgraph/core/json_reader.hpp>
#include <opsgraph/core/json_value.hpp>
#include <opsgraph/core/json_writer.hpp>
#include <opsgraph/core/result.hpp>
#include <string>
#include <string_view>

namespace opsgraph::json {

/// Writes `value` to `writer` (the hot path: reuse one Writer and take() its text).
template <class T>
void write(Writer& writer, const T& value) {
  detail::write_value(writer, value);
}

/// The compact JSON text of `value`.
template <class T>
std::string encode(const T& value) {
  detail::ScratchWriter scratch;
  detail::write_value(scratch.get(), value);
  return scratch.get().take();
}

/// `value` as a json::Value, built directly (no text round trip for built-in codecs).
template <class T>
Value to_value(const T& value) {
  ValueBuilder builder;
  detail::write_value(builder, value);
  return builder.take();
}

/// Decodes a T from JSON text, in one forward pass. T must be default-constructible; absent
/// optional fields keep their default member initializers.
template <class T>
result<T> decode(std::string_view text, const Limits& limits = {}) {
  T out{};
  OPSGRAPH_TRY(detail::read_text(text, limits,
                                 [&out](Reader& root) { return detail::read_into(root, out); }));
  return out;
}

/// Decodes a T from a Value, with the same checks and error paths as decode.
template <class T>
result<T> from_value(const Value& value) {
  T out{};
  try {
    ValueReader source(value);
    OPSGRAPH_TRY(detail::read_into(source, out));
  } catch (...) {
    return fail(error_from_current_exception("json::from_value"));
  }
  return out;
}

}  // namespace opsgraph::json
