#pragma once
// opsgraph::json::Writer — streaming compact JSON output into a reusable buffer.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <opsgraph/core/json_key.hpp>
#include <opsgraph/core/json_value.hpp>
#include <opsgraph/export.hpp>
#include <string>
#include <string_view>

namespace opsgraph::json {

/// Writes one JSON text from a sequence of calls: begin_object, key, a value, ..., end_object.
/// Made to be reused: take() or clear() resets it and keeps its buffer, so a long-lived Writer
/// allocates nothing per document once the buffer has grown. Not thread-safe; movable, not
/// copyable.
///
/// A moved-from Writer may only be assigned to or destroyed. Calls must form a valid document (a
/// key before every member value, matching begin/end); that is a precondition checked by assertions
/// in debug builds, not a runtime error. Strings that are not valid UTF-8 are written with U+FFFD
/// for each bad sequence, so the output always parses.
class OPSGRAPH_API Writer {
 public:
  /// `reserve_bytes` sizes the buffer up front (it still grows as needed).
  explicit Writer(std::size_t reserve_bytes = 256);
  ~Writer();
  Writer(Writer&&) noexcept;
  Writer& operator=(Writer&&) noexcept;
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  Writer& begin_object();
  Writer& end_object();
  Writer& begin_array();
  Writer& end_array();
  /// The name of the next object member.
  Writer& key(std::string_view name);
  /// The same, for a name whose text was made at compile time: written with one copy.
  Writer& key(const KeyText& key);
  Writer& string(std::string_view text);
  Writer& integer(std::int64_t n);
  Writer& unsigned_integer(std::uint64_t n);
  /// Shortest round-tripping text, with ".0" when integral; NaN and infinities become null.
  Writer& number(double d);
  Writer& boolean(bool b);
  Writer& null();
  /// Writes a whole Value (objects keep their member order).
  Writer& value(const Value& v);

  /// The text written since the last reset; valid until the next call on this Writer.
  std::string_view view() const noexcept;
  /// Returns the text and resets the Writer for the next document (the buffer is kept).
  std::string take();
  /// Drops the text and resets the Writer for the next document (the buffer is kept).
  void clear() noexcept;
  /// Bytes the buffer holds without growing.
  std::size_t capacity() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace opsgraph::json
