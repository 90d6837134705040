#pragma once
// A JSON value valid against a JSON schema, for the mock's default structured answers. Covers
// what LLM structured outputs use: type (or a list of types), properties, required,
// additionalProperties, enum, const, items, minItems/maxItems, uniqueItems, minimum/maximum
// (and exclusive ones), minLength/maxLength, common string formats, anyOf/oneOf/allOf (first
// branch) and local $ref ("#/$defs/..", "#/definitions/.."). Internal to the mock server.

#include <opsgraph/core/json_value.hpp>

namespace opsgraph::mock::detail {

/// An instance of `schema`. Total: an unsupported or contradictory schema still yields a value
/// (the most plausible one), never an error; recursion through $ref stops at a fixed depth.
json::Value instance_of(const json::Value& schema);

}  // namespace opsgraph::mock::detail
