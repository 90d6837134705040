#pragma once
// opsgraph::llm::SchemaValidator — checks a model's structured answer against the JSON Schema it
// was asked to follow, with messages precise enough to send back to the model when re-asking:
//
//   OPSGRAPH_TRY(auto validator, llm::SchemaValidator::compile(schema));
//   for (const auto& v : validator.validate(response.content))
//     log(v.to_string());  // $.solutions[2].confidence: expected one of "high", ... got "certain"
//
// A SchemaValidator is immutable once compiled: validate() is const and thread-safe, and copies
// are cheap (they share the compiled schema).

#include <cstddef>
#include <memory>
#include <opsgraph/core/json_value.hpp>
#include <opsgraph/core/result.hpp>
#include <opsgraph/export.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace opsgraph::llm {

/// One way a value fails its schema: where (a path such as `$.solutions[2].confidence`) and what.
struct Violation {
  std::string path;
  std::string message;

  /// "path: message".
  std::string to_string() const { return path + ": " + message; }

  friend bool operator==(const Violation&, const Violation&) = default;
};

/// A compiled JSON Schema of the subset structured outputs use (drafts 7 to 2020-12):
///
/// - `type` (a name or an array of names; "integer" accepts integral numbers such as 2.0),
///   `enum`, `const`;
/// - objects: `properties`, `required`, `additionalProperties` (a boolean or a schema);
/// - arrays: `items` (one schema for every element), `minItems`, `maxItems`;
/// - strings: `minLength`, `maxLength` (in Unicode code points);
/// - numbers: `minimum`, `maximum`, `exclusiveMinimum`, `exclusiveMaximum` (numbers);
/// - `anyOf`, `allOf`, `oneOf`; `$ref` to any JSON pointer within the same document (`#`,
///   `#/$defs/x`, `#/definitions/x`), recursive schemas included; boolean schemas.
///
/// Annotations (title, description, default, examples, format, $schema, $id, $comment,
/// deprecated, readOnly, writeOnly) and `x-` extensions are ignored. Any other keyword would
/// change what is valid (pattern, if/then/else, not, uniqueItems, multipleOf, ...), so compile()
/// refuses the schema rather than accept values the schema's author meant to reject.
class OPSGRAPH_API SchemaValidator {
 public:
  /// validate() reports at most this many violations; it stops looking after that.
  static constexpr std::size_t kMaxViolations = 20;

  /// Compiles `schema`. errc::invalid_argument naming every unsupported keyword and malformed
  /// keyword value with its place in the schema (a JSON pointer), e.g.
  /// `schema /properties/code: unsupported keyword "pattern"`.
  static result<SchemaValidator> compile(const json::Value& schema);

  /// Every violation of `value`, in document order (at most kMaxViolations); empty when valid.
  std::vector<Violation> validate(const json::Value& value) const;

  /// The same for JSON text; text that does not parse is one violation at `$` saying why.
  std::vector<Violation> validate(std::string_view text) const;

  /// Parses and validates `text`: its value when valid, else errc::bad_response (the answer of
  /// an upstream model is unusable) whose message lists the violations, one per line, and whose
  /// details are {"violations": [{"path": ..., "message": ...}, ...]}.
  result<json::Value> check(std::string_view text) const;

 private:
  struct Compiled;
  explicit SchemaValidator(std::shared_ptr<const Compiled> compiled) noexcept
      : compiled_(std::move(compiled)) {}

  std::shared_ptr<const Compiled> compiled_;
};

}  // namespace opsgraph::llm
