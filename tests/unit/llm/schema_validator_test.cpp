// SchemaValidator: each keyword, the paths and messages of violations, and refused schemas.

#include <gtest/gtest.h>

#include <opsgraph/core/json.hpp>
#include <opsgraph/llm/schema_validator.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace opsgraph::llm {
namespace {

json::Value parse(std::string_view text) {
  result<json::Value> value = json::parse(text);
  EXPECT_TRUE(value) << text;
  return value ? value.value() : json::Value();
}

SchemaValidator compile(std::string_view schema) {
  result<SchemaValidator> validator = SchemaValidator::compile(parse(schema));
  EXPECT_TRUE(validator) << validator.error().message;
  if (!validator)
    return SchemaValidator::compile(json::Value(true)).value();
  return validator.value();
}

// The violations of `value` against `schema`, as "path: message" lines.
std::vector<std::string> violations(std::string_view schema, std::string_view value) {
  std::vector<std::string> lines;
  for (const Violation& v : compile(schema).validate(value))
    lines.push_back(v.to_string());
  return lines;
}

using Lines = std::vector<std::string>;

constexpr std::string_view kDiagnosis = R"({
  "type": "object",
  "properties": {
    "root_cause": {"type": "string", "minLength": 1, "description": "why"},
    "evidence": {"type": "array", "items": {"type": "string"}, "minItems": 1},
    "solutions": {"type": "array", "items": {"$ref": "#/$defs/solution"}},
    "confidence": {"type": "number", "minimum": 0, "maximum": 1}
  },
  "required": ["root_cause", "evidence", "solutions", "confidence"],
  "additionalProperties": false,
  "$defs": {
    "solution": {
      "type": "object", "title": "Solution",
      "properties": {
        "title": {"type": "string"},
        "confidence": {"enum": ["high", "medium", "low"]}
      },
      "required": ["title", "confidence"]
    }
  }
})";

TEST(SchemaValidator, AValidDiagnosisHasNoViolations) {
  EXPECT_EQ(violations(kDiagnosis, R"({"root_cause": "svchost loop", "evidence": ["cpu"],
      "solutions": [{"title": "a", "confidence": "high"}], "confidence": 0.8})"),
            Lines{});
}

TEST(SchemaValidator, EveryViolationWithItsPath) {
  EXPECT_EQ(
      violations(kDiagnosis, R"({"root_cause": "", "evidence": [],
      "solutions": [{"title": "a", "confidence": "high"}, {"title": "b", "confidence": "low"},
                    {"title": 3, "confidence": "certain"}],
      "confidence": 1.5, "extra": null})"),
      (Lines{
          "$.root_cause: expected at least 1 character, got 0",
          "$.evidence: expected at least 1 item, got 0",
          "$.solutions[2].title: expected string, got number 3",
          R"($.solutions[2].confidence: expected one of "high", "medium", "low", got "certain")",
          "$.confidence: expected a number <= 1, got 1.5",
          "$.extra: property is not allowed (allowed: root_cause, evidence, solutions, "
          "confidence)",
      }));
}

TEST(SchemaValidator, MissingRequiredPropertiesAreNamedByPath) {
  EXPECT_EQ(violations(kDiagnosis, R"({"evidence": ["x"], "solutions": [{}], "confidence": 0})"),
            (Lines{"$.root_cause: required property is missing",
                   "$.solutions[0].title: required property is missing",
                   "$.solutions[0].confidence: required property is missing"}));
}

TEST(SchemaValidator, TypeNamesAndArraysOfTypes) {
  const std::string_view schema = R"({"type": ["string", "null"]})";
  EXPECT_EQ(violations(schema, R"("x")"), Lines{});
  EXPECT_EQ(violations(schema, "null"), Lines{});
  EXPECT_EQ(violations(schema, "[1]"), Lines{"$: expected string or null, got array"});
  EXPECT_EQ(violations(R"({"type": "integer"})", "2.0"), Lines{});
  EXPECT_EQ(violations(R"({"type": "integer"})", "2.5"),
            Lines{"$: expected integer, got number 2.5"});
  EXPECT_EQ(violations(R"({"type": "number"})", "7"), Lines{});
  EXPECT_EQ(violations(R"({"type": "boolean"})", R"("true")"),
            Lines{R"($: expected boolean, got string "true")"});
  EXPECT_EQ(violations(R"({"type": "object"})", "{}"), Lines{});
}

TEST(SchemaValidator, ConstAndEnumCompareNumbersByValue) {
  EXPECT_EQ(violations(R"({"const": {"a": [1, 2.0]}})", R"({"a": [1.0, 2]})"), Lines{});
  EXPECT_EQ(violations(R"({"const": "v1"})", R"("v2")"), Lines{R"($: expected "v1", got "v2")"});
  EXPECT_EQ(violations(R"({"enum": [1, null]})", "null"), Lines{});
  EXPECT_EQ(violations(R"({"enum": [1, null]})", "false"),
            Lines{"$: expected one of 1, null, got false"});
}

TEST(SchemaValidator, AdditionalPropertiesAsASchema) {
  const std::string_view schema =
      R"({"properties": {"id": {"type": "string"}}, "additionalProperties": {"type": "integer"}})";
  EXPECT_EQ(violations(schema, R"({"id": "a", "x": 1, "odd key": "no"})"),
            Lines{R"($["odd key"]: expected integer, got string "no")"});
}

TEST(SchemaValidator, NumericBounds) {
  const std::string_view schema = R"({"exclusiveMinimum": 0, "exclusiveMaximum": 10,
                                      "minimum": -5, "maximum": 100})";
  EXPECT_EQ(violations(schema, "5"), Lines{});
  EXPECT_EQ(violations(schema, "0"), Lines{"$: expected a number > 0, got 0"});
  EXPECT_EQ(violations(schema, "10"), Lines{"$: expected a number < 10, got 10"});
  EXPECT_EQ(violations(R"({"minimum": 1.5})", "1"), Lines{"$: expected a number >= 1.5, got 1"});
  EXPECT_EQ(violations(R"({"minimum": 1.5})", R"("text")"), Lines{});  // bounds apply to numbers
}

TEST(SchemaValidator, LengthsCountCharactersNotBytes) {
  EXPECT_EQ(violations(R"({"maxLength": 3})", R"("héé")"), Lines{});
  EXPECT_EQ(violations(R"({"maxLength": 3})", R"("héée")"),
            Lines{"$: expected at most 3 characters, got 4"});
  EXPECT_EQ(violations(R"({"maxItems": 1})", "[1, 2]"), Lines{"$: expected at most 1 item, got 2"});
}

TEST(SchemaValidator, AnyOfAllOfOneOf) {
  const std::string_view nullable = R"({"anyOf": [{"type": "string"}, {"type": "null"}]})";
  EXPECT_EQ(violations(nullable, "null"), Lines{});
  EXPECT_EQ(violations(nullable, "1"),
            Lines{"$: matches none of the alternatives (expected string, got number 1; expected "
                  "null, got number 1)"});
  EXPECT_EQ(violations(R"({"allOf": [{"minimum": 1}, {"maximum": 2}]})", "3"),
            Lines{"$: expected a number <= 2, got 3"});
  const std::string_view one = R"({"oneOf": [{"type": "integer"}, {"minimum": 0}]})";
  EXPECT_EQ(violations(one, "-1"), Lines{});
  EXPECT_EQ(violations(one, "0.5"), Lines{});
  EXPECT_EQ(violations(one, "1"),
            Lines{"$: matches 2 alternatives of oneOf, expected exactly one"});
}

TEST(SchemaValidator, RecursiveSchemasThroughRef) {
  const std::string_view tree = R"({"$defs": {"node": {"type": "object",
      "properties": {"name": {"type": "string"}, "children": {"type": "array",
      "items": {"$ref": "#/$defs/node"}}}, "required": ["name"]}}, "$ref": "#/$defs/node"})";
  EXPECT_EQ(violations(tree, R"({"name": "a", "children": [{"name": "b", "children": [{}]}]})"),
            Lines{"$.children[0].children[0].name: required property is missing"});
}

TEST(SchemaValidator, ARefCycleThatNeverDescendsIsReportedNotFollowedForever) {
  const std::vector<Violation> found = compile(R"({"$ref": "#"})").validate(json::Value(1));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_NE(found[0].message.find("$ref cycle"), std::string::npos);
}

TEST(SchemaValidator, BooleanSchemas) {
  EXPECT_EQ(violations("true", "[1]"), Lines{});
  EXPECT_EQ(violations(R"({"properties": {"x": false}})", R"({"x": 1})"),
            Lines{"$.x: no value is allowed here"});
}

TEST(SchemaValidator, ViolationsAreCapped) {
  const std::vector<Violation> found =
      compile(R"({"items": {"type": "string"}})").validate(std::string_view("[" + [] {
        std::string many;
        for (int i = 0; i < 100; ++i)
          many += (i ? ",1" : "1");
        return many;
      }() + "]"));
  EXPECT_EQ(found.size(), SchemaValidator::kMaxViolations);
  EXPECT_EQ(found.back().path, "$[19]");
}

TEST(SchemaValidator, TextThatIsNotJsonIsOneViolation) {
  const std::vector<Violation> found = compile("{}").validate(std::string_view("{\"a\": }"));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].path, "$");
  EXPECT_NE(found[0].message.find("not valid JSON"), std::string::npos);
}

TEST(SchemaValidator, CheckGivesTheValueOrABadResponseListingViolations) {
  const SchemaValidator validator = compile(kDiagnosis);
  const result<json::Value> bad = validator.check(R"({"root_cause": 1})");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, errc::bad_response);
  EXPECT_NE(bad.error().message.find("$.root_cause: expected string, got number 1"),
            std::string::npos);
  EXPECT_EQ(bad.error().details.find("violations")->if_array()->size(), 4u);
  const result<json::Value> good = validator.check(
      R"({"root_cause": "r", "evidence": ["e"], "solutions": [], "confidence": 1})");
  ASSERT_TRUE(good) << good.error().message;
  EXPECT_EQ(*good.value().find("root_cause"), json::Value("r"));
}

TEST(SchemaValidator, UnsupportedKeywordsAreRefusedByName) {
  const result<SchemaValidator> r = SchemaValidator::compile(parse(R"({"type": "object",
      "properties": {"code": {"type": "string", "pattern": "^[a-z]+$"},
                     "tags": {"uniqueItems": true}},
      "if": {}, "x-vendor": 1, "title": "ignored"})"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::invalid_argument);
  const std::string& m = r.error().message;
  EXPECT_NE(m.find(R"(schema /properties/code: unsupported keyword "pattern")"), std::string::npos)
      << m;
  EXPECT_NE(m.find(R"(schema /properties/tags: unsupported keyword "uniqueItems")"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find(R"(schema /: unsupported keyword "if")"), std::string::npos) << m;
  EXPECT_EQ(m.find("x-vendor"), std::string::npos) << m;
  EXPECT_EQ(m.find("title"), std::string::npos) << m;
}

TEST(SchemaValidator, MalformedKeywordValuesAreRefused) {
  for (std::string_view schema : {
           R"({"type": "strin"})",
           R"({"type": []})",
           R"({"required": "a"})",
           R"({"minLength": -1})",
           R"({"maxItems": 1.5})",
           R"({"exclusiveMinimum": true})",
           R"({"items": [{}]})",
           R"({"anyOf": []})",
           R"({"$ref": "#/$defs/missing"})",
           R"({"$ref": "http://example.com/schema"})",
           R"({"properties": []})",
           R"(3)",
       }) {
    const result<SchemaValidator> r = SchemaValidator::compile(parse(schema));
    ASSERT_FALSE(r) << schema;
    EXPECT_EQ(r.error().code, errc::invalid_argument) << schema;
  }
}

TEST(SchemaValidator, CopiesShareTheCompiledSchema) {
  const SchemaValidator original = compile(R"({"type": "string"})");
  const SchemaValidator copy = original;  // NOLINT(performance-unnecessary-copy-initialization)
  EXPECT_EQ(copy.validate(json::Value(1)), original.validate(json::Value(1)));
  EXPECT_EQ(copy.validate(json::Value(1)).size(), 1u);
}

}  // namespace
}  // namespace opsgraph::llm
