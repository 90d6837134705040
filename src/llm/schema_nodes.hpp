#pragma once
// The compiled form of a JSON Schema behind SchemaValidator: a flat table of nodes linked by
// index, so that $ref cycles (recursive schemas) are plain indices. Built once by
// schema_compile.cpp, then only read (schema_validate.cpp). Private to src/llm.

#include <cstddef>
#include <cstdint>
#include <opsgraph/core/json_value.hpp>
#include <opsgraph/llm/schema_validator.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace opsgraph::llm::schema {

/// A node's position in Compiled::nodes.
using NodeId = std::size_t;

/// The JSON types a node accepts, as bits.
enum TypeBit : std::uint8_t {
  kNull = 1 << 0,
  kBoolean = 1 << 1,
  kInteger = 1 << 2,  // integral numbers (2 and 2.0 alike)
  kNumber = 1 << 3,   // every number; implies kInteger
  kString = 1 << 4,
  kArray = 1 << 5,
  kObject = 1 << 6,
  kAnyType = 0x7F,
};

/// One schema (or subschema): every keyword it had, ready to check.
struct Node {
  /// `false` as a schema: nothing is valid.
  bool never = false;
  std::uint8_t types = kAnyType;
  /// The type names as the schema wrote them, for messages ("string or null").
  std::string type_names;

  std::vector<json::Value> enum_values;
  bool has_enum = false;
  std::optional<json::Value> const_value;

  std::vector<std::pair<std::string, NodeId>> properties;
  std::vector<std::string> required;
  /// additionalProperties: absent or true (nullopt, allowed), false (closed), or a schema.
  bool closed = false;
  std::optional<NodeId> additional;

  std::optional<NodeId> items;
  std::optional<std::size_t> min_items;
  std::optional<std::size_t> max_items;

  std::optional<std::size_t> min_length;
  std::optional<std::size_t> max_length;

  std::optional<double> minimum;
  std::optional<double> maximum;
  std::optional<double> exclusive_minimum;
  std::optional<double> exclusive_maximum;

  std::vector<NodeId> any_of;
  std::vector<NodeId> all_of;
  std::vector<NodeId> one_of;
  std::optional<NodeId> ref;
};

}  // namespace opsgraph::llm::schema

/// The whole compiled schema; node 0 is the root.
struct opsgraph::llm::SchemaValidator::Compiled {
  std::vector<schema::Node> nodes;
};
