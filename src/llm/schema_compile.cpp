// SchemaValidator::compile: a JSON Schema document → the node table of schema_nodes.hpp. Every
// problem is collected (up to a bound) so that one error names them all.

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <opsgraph/core/json.hpp>
#include <opsgraph/llm/schema_validator.hpp>
#include <string>
#include <string_view>
#include <utility>

#include "llm/schema_nodes.hpp"

namespace opsgraph::llm {

namespace {

using schema::Node;
using schema::NodeId;

constexpr std::size_t kMaxProblems = 10;

// Keywords that say something about a schema without changing what is valid.
constexpr std::array<std::string_view, 12> kAnnotations = {
    "title", "description", "default",    "examples", "format",    "$schema",
    "$id",   "$comment",    "deprecated", "readOnly", "writeOnly", "contentMediaType"};

struct TypeName {
  std::string_view name;
  std::uint8_t bits;
};
constexpr std::array<TypeName, 7> kTypeNames = {{
    {"null", schema::kNull},
    {"boolean", schema::kBoolean},
    {"integer", schema::kInteger},
    {"number", schema::kNumber | schema::kInteger},
    {"string", schema::kString},
    {"array", schema::kArray},
    {"object", schema::kObject},
}};

// "~" and "/" escaped as a JSON pointer token (RFC 6901).
std::string pointer_token(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

std::string unescape_pointer_token(std::string_view token) {
  std::string out;
  for (std::size_t i = 0; i < token.size(); ++i) {
    if (token[i] == '~' && i + 1 < token.size() && (token[i + 1] == '0' || token[i + 1] == '1')) {
      out += token[i + 1] == '0' ? '~' : '/';
      ++i;
    } else {
      out += token[i];
    }
  }
  return out;
}

// The value at JSON pointer `pointer` ("" is the whole document) within `root`, or null.
const json::Value* resolve_pointer(const json::Value& root, std::string_view pointer) {
  const json::Value* at = &root;
  while (!pointer.empty()) {
    if (pointer.front() != '/')
      return nullptr;
    pointer.remove_prefix(1);
    const std::size_t end = std::min(pointer.find('/'), pointer.size());
    const std::string token = unescape_pointer_token(pointer.substr(0, end));
    pointer.remove_prefix(end);
    if (const json::Array* array = at->if_array()) {
      const bool is_index = !token.empty() && std::all_of(token.begin(), token.end(), [](char c) {
        return c >= '0' && c <= '9';
      });
      if (!is_index || token.size() > 9)
        return nullptr;
      const std::size_t index = std::stoul(token);
      if (index >= array->size())
        return nullptr;
      at = &(*array)[index];
    } else {
      at = at->find(token);
      if (at == nullptr)
        return nullptr;
    }
  }
  return at;
}

class Compiler {
 public:
  explicit Compiler(const json::Value& root) : root_(root) {}

  result<std::vector<Node>> run() && {
    compile(root_, "");
    if (problems_.empty())
      return std::move(nodes_);
    std::string message = "unsupported or malformed JSON Schema: ";
    for (std::size_t i = 0; i < problems_.size(); ++i)
      message += (i == 0 ? "" : "; ") + problems_[i];
    if (dropped_ > 0)
      message += "; and " + std::to_string(dropped_) + " more";
    return fail(errc::invalid_argument, std::move(message));
  }

 private:
  void problem(const std::string& pointer, std::string what) {
    if (problems_.size() == kMaxProblems) {
      ++dropped_;
      return;
    }
    problems_.push_back("schema " + (pointer.empty() ? std::string("/") : pointer) + ": " +
                        std::move(what));
  }

  // The node of the schema at `pointer`, compiled once however often it is reached.
  NodeId compile(const json::Value& schema, const std::string& pointer) {
    if (auto known = by_pointer_.find(pointer); known != by_pointer_.end())
      return known->second;
    const NodeId id = nodes_.size();
    nodes_.emplace_back();
    by_pointer_.emplace(pointer, id);  // before the children: a $ref cycle finds it
    Node node;
    if (const bool* b = schema.if_bool()) {
      node.never = !*b;
    } else if (const json::Object* object = schema.if_object()) {
      for (const auto& [keyword, value] : *object)
        take_keyword(node, keyword, value, pointer);
    } else {
      problem(pointer, "a schema must be an object or a boolean");
    }
    nodes_[id] = std::move(node);
    return id;
  }

  void take_keyword(Node& node, const std::string& keyword, const json::Value& value,
                    const std::string& pointer) {
    const std::string at = pointer + "/" + pointer_token(keyword);
    if (keyword == "type") {
      take_type(node, value, at);
    } else if (keyword == "enum") {
      if (const json::Array* values = value.if_array()) {
        node.enum_values = *values;
        node.has_enum = true;
      } else {
        problem(at, "enum must be an array");
      }
    } else if (keyword == "const") {
      node.const_value = value;
    } else if (keyword == "properties") {
      take_properties(node, value, at);
    } else if (keyword == "required") {
      take_required(node, value, at);
    } else if (keyword == "additionalProperties") {
      if (const bool* allowed = value.if_bool()) {
        node.closed = !*allowed;
      } else {
        node.additional = compile(value, at);
      }
    } else if (keyword == "items") {
      if (value.is_array()) {
        problem(at, "items as an array (tuple validation) is not supported");
      } else {
        node.items = compile(value, at);
      }
    } else if (keyword == "minItems" || keyword == "maxItems" || keyword == "minLength" ||
               keyword == "maxLength") {
      take_count(node, keyword, value, at);
    } else if (keyword == "minimum" || keyword == "maximum" || keyword == "exclusiveMinimum" ||
               keyword == "exclusiveMaximum") {
      take_bound(node, keyword, value, at);
    } else if (keyword == "anyOf" || keyword == "allOf" || keyword == "oneOf") {
      take_alternatives(keyword == "anyOf"   ? node.any_of
                        : keyword == "allOf" ? node.all_of
                                             : node.one_of,
                        keyword, value, at);
    } else if (keyword == "$ref") {
      take_ref(node, value, at);
    } else if (keyword == "$defs" || keyword == "definitions") {
      take_definitions(value, at);
    } else if (std::find(kAnnotations.begin(), kAnnotations.end(), keyword) == kAnnotations.end() &&
               !keyword.starts_with("x-")) {
      problem(pointer, "unsupported keyword \"" + keyword + "\"");
    }
  }

  void take_type(Node& node, const json::Value& value, const std::string& at) {
    json::Array names;
    if (value.is_string()) {
      names.push_back(value);
    } else if (const json::Array* list = value.if_array(); list && !list->empty()) {
      names = *list;
    } else {
      problem(at, "type must be a type name or a non-empty array of them");
      return;
    }
    node.types = 0;
    for (const json::Value& name : names) {
      const std::string* text = name.if_string();
      const auto known = std::find_if(kTypeNames.begin(), kTypeNames.end(), [&](const TypeName& t) {
        return text != nullptr && t.name == *text;
      });
      if (known == kTypeNames.end()) {
        problem(at, "unknown type " + json::dump(name));
        continue;
      }
      node.types |= known->bits;
      node.type_names += (node.type_names.empty() ? "" : " or ") + std::string(known->name);
    }
  }

  void take_properties(Node& node, const json::Value& value, const std::string& at) {
    const json::Object* properties = value.if_object();
    if (properties == nullptr) {
      problem(at, "properties must be an object");
      return;
    }
    for (const auto& [name, schema] : *properties)
      node.properties.emplace_back(name, compile(schema, at + "/" + pointer_token(name)));
  }

  void take_required(Node& node, const json::Value& value, const std::string& at) {
    const json::Array* names = value.if_array();
    const bool all_strings =
        names && std::all_of(names->begin(), names->end(),
                             [](const json::Value& n) { return n.is_string(); });
    if (!all_strings) {
      problem(at, "required must be an array of strings");
      return;
    }
    for (const json::Value& name : *names)
      node.required.push_back(*name.if_string());
  }

  void take_count(Node& node, const std::string& keyword, const json::Value& value,
                  const std::string& at) {
    const double d = value.as_double();
    if (!value.is_number() || d < 0 || std::trunc(d) != d) {
      problem(at, keyword + " must be a non-negative integer");
      return;
    }
    const auto count = static_cast<std::size_t>(d);
    if (keyword == "minItems") {
      node.min_items = count;
    } else if (keyword == "maxItems") {
      node.max_items = count;
    } else if (keyword == "minLength") {
      node.min_length = count;
    } else {
      node.max_length = count;
    }
  }

  void take_bound(Node& node, const std::string& keyword, const json::Value& value,
                  const std::string& at) {
    if (!value.is_number()) {
      problem(at,
              keyword + " must be a number (draft-4 boolean exclusive bounds are not supported)");
      return;
    }
    const double bound = value.as_double();
    if (keyword == "minimum") {
      node.minimum = bound;
    } else if (keyword == "maximum") {
      node.maximum = bound;
    } else if (keyword == "exclusiveMinimum") {
      node.exclusive_minimum = bound;
    } else {
      node.exclusive_maximum = bound;
    }
  }

  void take_alternatives(std::vector<NodeId>& out, const std::string& keyword,
                         const json::Value& value, const std::string& at) {
    const json::Array* schemas = value.if_array();
    if (schemas == nullptr || schemas->empty()) {
      problem(at, keyword + " must be a non-empty array of schemas");
      return;
    }
    for (std::size_t i = 0; i < schemas->size(); ++i)
      out.push_back(compile((*schemas)[i], at + "/" + std::to_string(i)));
  }

  void take_ref(Node& node, const json::Value& value, const std::string& at) {
    const std::string* ref = value.if_string();
    if (ref == nullptr || !ref->starts_with('#')) {
      problem(at, "$ref must point into this document (\"#\", \"#/$defs/name\", ...)");
      return;
    }
    const std::string pointer = ref->substr(1);
    const json::Value* target = resolve_pointer(root_, pointer);
    if (target == nullptr) {
      problem(at, "$ref \"" + *ref + "\" does not resolve");
      return;
    }
    node.ref = compile(*target, pointer);
  }

  // Definitions are compiled even when nothing refers to them, so that their problems show.
  void take_definitions(const json::Value& value, const std::string& at) {
    const json::Object* definitions = value.if_object();
    if (definitions == nullptr) {
      problem(at, "definitions must be an object");
      return;
    }
    for (const auto& [name, schema] : *definitions)
      compile(schema, at + "/" + pointer_token(name));
  }

  const json::Value& root_;
  std::vector<Node> nodes_;
  std::map<std::string, NodeId, std::less<>> by_pointer_;
  std::vector<std::string> problems_;
  std::size_t dropped_ = 0;
};

}  // namespace

result<SchemaValidator> SchemaValidator::compile(const json::Value& schema) {
  try {
    OPSGRAPH_TRY(std::vector<schema::Node> nodes, Compiler(schema).run());
    auto compiled = std::make_shared<Compiled>();
    compiled->nodes = std::move(nodes);
    return SchemaValidator(std::move(compiled));
  } catch (...) {
    return fail(error_from_current_exception("compile a JSON Schema"));
  }
}

}  // namespace opsgraph::llm
