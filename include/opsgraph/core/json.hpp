#pragma once
// JSON text <-> json::Value: parse (simdjson ondemand, strict RFC 8259) and dump (compact RapidJSON
// output). Typed structs go through <opsgraph/core/json_codec.hpp>, which builds on the same parser
// and writer. Both functions are thread-safe and keep no state between calls that a caller sees.

#include <cstddef>
#include <opsgraph/core/json_value.hpp>
#include <opsgraph/core/result.hpp>
#include <opsgraph/export.hpp>
#include <string>
#include <string_view>

namespace opsgraph::json {

/// Bounds on the input a parse accepts; the defaults suit requests, LLM answers and task records.
/// A plain aggregate: copy it, change a member, pass it along.
struct Limits {
  /// Longest accepted text in bytes; longer input fails with errc::payload_too_large.
  std::size_t max_bytes = std::size_t{8} << 20;
  /// Deepest accepted nesting of arrays and objects (a scalar is depth 0, `[]` depth 1); deeper
  /// input fails with errc::invalid_argument naming the path of the first container too deep.
  /// Values above 1024 act as 1024: reading recurses once per level, and the stack is finite.
  std::size_t max_depth = 64;
};

/// Parses one JSON document into a Value.
///
/// Strict RFC 8259: no comments, no trailing commas, no NaN/Infinity, valid UTF-8 only, nothing
/// but whitespace after the value. A member name repeated in one object is an error (never "last
/// wins": two readers of one text must not see different values). Integers that fit int64 stay
/// integers; other numbers become doubles; a number beyond double's range is an error.
///
/// Failures are errc::invalid_argument with a message that says what and where, e.g.
/// `plan.steps[1]: malformed JSON at byte 42: invalid literal (expected true, false or null)`, and
/// details {"path": "plan.steps[1]", "offset": 42} (offset when it is known); input longer than
/// limits.max_bytes is errc::payload_too_large.
OPSGRAPH_API result<Value> parse(std::string_view text, const Limits& limits = {});

/// Compact JSON text of `value`. Doubles use the shortest text that reads back to the same double,
/// with a ".0" when integral so they stay doubles; non-finite doubles become null; strings that are
/// not valid UTF-8 get U+FFFD for each bad sequence, so the output always parses.
OPSGRAPH_API std::string dump(const Value& value);

}  // namespace opsgraph::json
