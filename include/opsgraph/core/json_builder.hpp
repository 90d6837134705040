#pragma once
// opsgraph::json::ValueBuilder — the Writer's method set, building a json::Value instead of text.
// Typed codecs write through either, which is how json::to_value avoids a text round trip.

#include <cstdint>
#include <opsgraph/core/json_key.hpp>
#include <opsgraph/core/json_value.hpp>
#include <opsgraph/export.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace opsgraph::json {

/// Builds one Value from begin_object / key / ... / end_object calls, like json::Writer does text.
/// Calls must form a valid document (as for Writer). Not thread-safe; a plain movable value.
class OPSGRAPH_API ValueBuilder {
 public:
  ValueBuilder& begin_object();
  ValueBuilder& end_object();
  ValueBuilder& begin_array();
  ValueBuilder& end_array();
  ValueBuilder& key(std::string_view name);
  ValueBuilder& key(const KeyText& key) { return this->key(key.name()); }
  ValueBuilder& string(std::string_view text);
  ValueBuilder& integer(std::int64_t n);
  /// Values above int64's range become doubles, as they would when parsed from text.
  ValueBuilder& unsigned_integer(std::uint64_t n);
  /// NaN and infinities become null, as Writer writes them.
  ValueBuilder& number(double d);
  ValueBuilder& boolean(bool b);
  ValueBuilder& null();
  ValueBuilder& value(const Value& v);

  /// The finished Value; the builder is empty afterwards.
  Value take();

 private:
  template <class... Args>
  ValueBuilder& emit(Args&&... args);

  std::vector<Value> stack_;       // open containers, innermost last
  std::vector<std::string> keys_;  // pending member names, innermost last
  Value root_;
};

}  // namespace opsgraph::json
