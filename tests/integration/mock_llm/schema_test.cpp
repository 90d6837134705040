// The default answer to a json_schema request is an instance of the schema: checked here by a
// small validator of the keywords the mock claims to honour.

#include <opsgraph/core/json.hpp>

#include "server_fixture.hpp"

namespace opsgraph::mock::testing {
namespace {

class Validator {
 public:
  explicit Validator(const json::Value& root) : root_(root) {}

  void check(const json::Value& value, const json::Value& schema, const std::string& path) {
    if (const auto* ref = schema.find("$ref")) {
      const auto name = ref->if_string()->substr(std::string("#/$defs/").size());
      return check(value, *root_.find("$defs")->find(name), path);
    }
    if (const auto* any = schema.find("anyOf"))
      return check(value, any->if_array()->front(), path);
    if (const auto* constant = schema.find("const"); constant && value != *constant)
      problems.push_back(path + ": not the const");
    if (const auto* choices = schema.find("enum")) {
      const auto& values = *choices->if_array();
      if (std::ranges::find(values, value) == values.end())
        problems.push_back(path + ": not one of the enum");
    }
    if (const auto* type = schema.find("type"))
      check_type(value, *type, path);
    check_bounds(value, schema, path);
    if (value.is_object())
      check_object(value, schema, path);
    if (const auto* items = value.if_array()) {
      for (std::size_t i = 0; i < items->size(); ++i) {
        if (const auto* item_schema = schema.find("items"))
          check((*items)[i], *item_schema, path + "[" + std::to_string(i) + "]");
      }
    }
  }

  std::vector<std::string> problems;

 private:
  void check_type(const json::Value& value, const json::Value& type, const std::string& path) {
    const auto matches = [&](const std::string& name) {
      return (name == "object" && value.is_object()) || (name == "array" && value.is_array()) ||
             (name == "string" && value.is_string()) || (name == "boolean" && value.is_bool()) ||
             (name == "null" && value.is_null()) || (name == "number" && value.is_number()) ||
             (name == "integer" && value.is_integer());
    };
    bool any = false;
    if (const auto* name = type.if_string())
      any = matches(*name);
    for (const auto& name : type.is_array() ? *type.if_array() : json::Array{})
      any = any || matches(*name.if_string());
    if (!any)
      problems.push_back(path + ": wrong type " + json::dump(value));
  }

  void check_bounds(const json::Value& value, const json::Value& schema, const std::string& path) {
    const auto number = [&](std::string_view key) {
      const auto* bound = schema.find(key);
      return bound ? std::optional<double>(bound->as_double()) : std::nullopt;
    };
    if (value.is_number()) {
      const auto x = value.as_double();
      if ((number("minimum") && x < *number("minimum")) ||
          (number("maximum") && x > *number("maximum")) ||
          (number("exclusiveMinimum") && x <= *number("exclusiveMinimum")) ||
          (number("exclusiveMaximum") && x >= *number("exclusiveMaximum")))
        problems.push_back(path + ": out of bounds " + json::dump(value));
    }
    if (const auto* text = value.if_string()) {
      const auto size = static_cast<double>(text->size());
      if ((number("minLength") && size < *number("minLength")) ||
          (number("maxLength") && size > *number("maxLength")))
        problems.push_back(path + ": bad length " + *text);
    }
    if (const auto* items = value.if_array()) {
      const auto size = static_cast<double>(items->size());
      if ((number("minItems") && size < *number("minItems")) ||
          (number("maxItems") && size > *number("maxItems")))
        problems.push_back(path + ": bad item count");
      if (const auto* unique = schema.find("uniqueItems"); unique && *unique->if_bool()) {
        for (std::size_t i = 0; i < items->size(); ++i) {
          if (std::count(items->begin(), items->end(), (*items)[i]) > 1)
            problems.push_back(path + ": items repeat");
        }
      }
    }
  }

  void check_object(const json::Value& value, const json::Value& schema, const std::string& path) {
    const auto* properties = schema.find("properties");
    if (const auto* required = schema.find("required")) {
      for (const auto& name : *required->if_array()) {
        if (value.find(*name.if_string()) == nullptr)
          problems.push_back(path + ": missing " + *name.if_string());
      }
    }
    for (const auto& [name, member] : *value.if_object()) {
      const auto* member_schema = properties ? properties->find(name) : nullptr;
      if (member_schema != nullptr)
        check(member, *member_schema, path + "." + name);
      else if (const auto* extra = schema.find("additionalProperties");
               extra && extra->is_bool() && !*extra->if_bool())
        problems.push_back(path + ": unexpected member " + name);
    }
  }

  const json::Value& root_;
};

// Roughly what the router asks an LLM for.
constexpr std::string_view kSchema = R"({
  "type": "object", "additionalProperties": false,
  "required": ["category", "agents", "risk", "complexity", "summary", "steps", "note", "ratio"],
  "properties": {
    "category": {"type": "string", "enum": ["compute", "network", "storage"]},
    "agents": {"type": "array", "items": {"enum": ["diagnostic", "automation", "writer"]},
               "minItems": 2, "maxItems": 3, "uniqueItems": true},
    "risk": {"$ref": "#/$defs/risk"},
    "complexity": {"type": "integer", "minimum": 3, "exclusiveMaximum": 5},
    "summary": {"type": "string", "minLength": 40, "maxLength": 60},
    "steps": {"type": "array", "minItems": 3,
              "items": {"type": "object", "required": ["step_number", "done"],
                        "properties": {"step_number": {"type": "integer", "minimum": 1},
                                       "done": {"type": "boolean"},
                                       "when": {"type": "string", "format": "date-time"}}}},
    "note": {"type": ["string", "null"], "maxLength": 4},
    "ratio": {"type": "number", "exclusiveMinimum": 0, "maximum": 0.01},
    "kind": {"const": "plan"},
    "either": {"anyOf": [{"type": "integer"}, {"type": "string"}]}
  },
  "$defs": {"risk": {"type": "object", "required": ["level", "score"],
                     "properties": {"level": {"enum": ["low", "medium", "high"]},
                                    "score": {"type": "number", "minimum": 0, "maximum": 1}}}}
})";

TEST_F(MockServerTest, JsonSchemaDefaultAnswerIsValidAgainstTheSchema) {
  auto schema = json::parse(kSchema);
  ASSERT_TRUE(schema) << schema.error().message;
  json::Object format{
      {"response_format",
       json::Object{{"type", "json_schema"},
                    {"json_schema", json::Object{{"name", "route"}, {"schema", schema.value()}}}}}};
  auto client = this->client();
  for (bool stream : {false, true}) {
    SCOPED_TRACE(stream ? "streamed" : "whole");
    auto request = format;
    request.emplace_back("stream", stream);
    auto reply = client.post("/v1/chat/completions", chat_body("m", "route this", request));
    ASSERT_EQ(reply.status, 200u) << reply.body;
    std::string content;
    if (stream) {
      for (const auto& payload : sse_data(reply.body)) {
        auto chunk = json::parse(payload);
        if (!chunk)
          continue;
        const auto* choices = chunk.value().find("choices");
        const auto* text = choices->if_array()->front().find("delta")->find("content");
        if (text && text->is_string())
          content += *text->if_string();
      }
    } else {
      content = *reply.json()
                     .find("choices")
                     ->if_array()
                     ->front()
                     .find("message")
                     ->find("content")
                     ->if_string();
    }
    auto answer = json::parse(content);
    ASSERT_TRUE(answer) << content;
    Validator validator(schema.value());
    validator.check(answer.value(), schema.value(), "$");
    EXPECT_TRUE(validator.problems.empty()) << ::testing::PrintToString(validator.problems) << "\n"
                                            << content;
    EXPECT_EQ(*answer.value().find("category"), json::Value("compute"));
  }
}

TEST_F(MockServerTest, AbsurdSchemasAreAnsweredWithinBounds) {
  auto client = this->client();
  for (const char* text : {
           R"({"type": "array", "minItems": 1e9, "items": {"type": "array", "minItems": 1e9,
               "items": {"type": "string", "minLength": 1e12}}})",
           R"({"$ref": "#", "type": "integer", "minimum": -1e300, "maximum": 1e300})",
           R"({"type": "object", "properties": {"self": {"$ref": "#"}}})",
       }) {
    SCOPED_TRACE(text);
    auto schema = json::parse(text);
    ASSERT_TRUE(schema) << schema.error().message;
    json::Object format{{"response_format",
                         json::Object{{"type", "json_schema"},
                                      {"json_schema", json::Object{{"schema", schema.value()}}}}}};
    auto reply = client.post("/v1/chat/completions", chat_body("m", "x", format));
    EXPECT_EQ(reply.status, 200u);
    EXPECT_LT(reply.body.size(), std::size_t{32} << 20);
  }
}

}  // namespace
}  // namespace opsgraph::mock::testing
