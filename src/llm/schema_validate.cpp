// SchemaValidator::validate: walks a value and its compiled schema together, reporting each
// violation with the value's path ($.solutions[2].confidence). A valid answer, the usual case,
// builds no strings: the path is kept as a stack of views and spelled out only for a report.

#include <cmath>
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

// Deeper than this, a $ref cycle is going round without descending into the value.
constexpr std::size_t kMaxNesting = 256;
// How much of a value or how many enum entries a message quotes.
constexpr std::size_t kMaxQuote = 60;
constexpr std::size_t kMaxListed = 10;

std::uint8_t type_bits(const json::Value& value) {
  switch (value.kind()) {
    case json::Kind::null:
      return schema::kNull;
    case json::Kind::boolean:
      return schema::kBoolean;
    case json::Kind::integer:
      return schema::kInteger | schema::kNumber;
    case json::Kind::number: {
      const double d = *value.if_double();
      return std::trunc(d) == d ? schema::kInteger | schema::kNumber : schema::kNumber;
    }
    case json::Kind::string:
      return schema::kString;
    case json::Kind::array:
      return schema::kArray;
    case json::Kind::object:
      return schema::kObject;
  }
  return 0;
}

// The value as a message shows it: JSON text, cut short when long.
std::string quote(const json::Value& value) {
  std::string text = json::dump(value);
  if (text.size() > kMaxQuote) {
    std::size_t cut = kMaxQuote;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
      --cut;
    text.resize(cut);
    text += "…";
  }
  return text;
}

std::string describe(const json::Value& value) {
  if (value.is_object() || value.is_array())
    return std::string(json::kind_name(value.kind()));
  return std::string(json::kind_name(value.kind())) + " " + quote(value);
}

std::size_t code_points(std::string_view text) noexcept {
  std::size_t count = 0;
  for (char c : text)
    count += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return count;
}

bool is_identifier(std::string_view name) noexcept {
  if (name.empty() || (name.front() >= '0' && name.front() <= '9'))
    return false;
  for (char c : name) {
    const bool word =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!word)
      return false;
  }
  return true;
}

std::string plural(std::size_t n, std::string_view word) {
  return std::to_string(n) + " " + std::string(word) + (n == 1 ? "" : "s");
}

std::string number_text(double d) {
  return json::dump(std::trunc(d) == d && std::abs(d) < 0x1p53
                        ? json::Value(static_cast<std::int64_t>(d))
                        : json::Value(d));
}

// One step of a path: a member's name, or an element's index when `name` is null.
struct PathStep {
  const std::string* name = nullptr;
  std::size_t index = 0;
};

// One walk: the path to the current value grows and shrinks as it descends.
class Checker {
 public:
  // One allocation for the stack of the usual depth; a deeper path grows it.
  explicit Checker(const std::vector<Node>& nodes) : nodes_(nodes) { steps_.reserve(16); }

  std::vector<Violation> take() && { return std::move(out_); }
  bool full() const noexcept { return out_.size() >= SchemaValidator::kMaxViolations; }

  void check(NodeId id, const json::Value& value) {
    if (full())
      return;
    if (++nesting_ > kMaxNesting) {
      report("the schema recurses without descending into the value ($ref cycle)");
    } else {
      check_node(nodes_[id], value);
    }
    --nesting_;
  }

 private:
  void report(std::string message) {
    if (!full())
      out_.push_back({path(), std::move(message)});
  }

  // The current value's path, as reports show it: `$.solutions[2]["odd key"]`.
  std::string path() const {
    std::string text = "$";
    for (const PathStep& step : steps_) {
      if (step.name == nullptr) {
        text += "[" + std::to_string(step.index) + "]";
      } else if (is_identifier(*step.name)) {
        text += "." + *step.name;
      } else {
        text += "[" + json::dump(json::Value(*step.name)) + "]";
      }
    }
    return text;
  }

  // Keeps one more step on the path while it lives.
  class Descend {
   public:
    Descend(Checker& checker, PathStep step) : steps_(checker.steps_) { steps_.push_back(step); }
    ~Descend() { steps_.pop_back(); }
    Descend(const Descend&) = delete;
    Descend& operator=(const Descend&) = delete;

   private:
    std::vector<PathStep>& steps_;
  };

  void check_node(const Node& node, const json::Value& value) {
    if (node.never) {
      report("no value is allowed here");
      return;
    }
    if ((type_bits(value) & node.types) == 0) {
      report("expected " + node.type_names + ", got " + describe(value));
      return;  // the other keywords would only repeat the mismatch
    }
    check_enum_and_const(node, value);
    if (value.is_object())
      check_object(node, *value.if_object());
    if (value.is_array())
      check_array(node, *value.if_array());
    if (const std::string* text = value.if_string())
      check_string(node, *text);
    if (value.is_number())
      check_number(node, value.as_double());
    if (node.ref)
      check(*node.ref, value);
    for (NodeId part : node.all_of)
      check(part, value);
    if (!node.any_of.empty())
      check_any_of(node.any_of, value);
    if (!node.one_of.empty())
      check_one_of(node.one_of, value);
  }

  void check_enum_and_const(const Node& node, const json::Value& value) {
    if (node.has_enum && !matches_any(node.enum_values, value)) {
      std::string listed;
      for (std::size_t i = 0; i < node.enum_values.size() && i < kMaxListed; ++i)
        listed += (i == 0 ? "" : ", ") + quote(node.enum_values[i]);
      if (node.enum_values.size() > kMaxListed)
        listed += ", …";
      report("expected one of " + listed + ", got " + quote(value));
    }
    if (node.const_value && !same(*node.const_value, value))
      report("expected " + quote(*node.const_value) + ", got " + quote(value));
  }

  void check_object(const Node& node, const json::Object& members) {
    for (const std::string& name : node.required) {
      if (!has_member(members, name)) {
        Descend into(*this, {.name = &name});
        report("required property is missing");
      }
    }
    for (const auto& [name, member] : members) {
      if (full())
        return;
      const NodeId* schema = property(node, name);
      if (schema == nullptr && node.additional)
        schema = &*node.additional;
      Descend into(*this, {.name = &name});
      if (schema != nullptr) {
        check(*schema, member);
      } else if (node.closed) {
        report("property is not allowed" + allowed_names(node));
      }
    }
  }

  void check_array(const Node& node, const json::Array& elements) {
    if (node.min_items && elements.size() < *node.min_items)
      report("expected at least " + plural(*node.min_items, "item") + ", got " +
             std::to_string(elements.size()));
    if (node.max_items && elements.size() > *node.max_items)
      report("expected at most " + plural(*node.max_items, "item") + ", got " +
             std::to_string(elements.size()));
    if (!node.items)
      return;
    for (std::size_t i = 0; i < elements.size() && !full(); ++i) {
      Descend into(*this, {.index = i});
      check(*node.items, elements[i]);
    }
  }

  void check_string(const Node& node, std::string_view text) {
    if (!node.min_length && !node.max_length)
      return;
    const std::size_t length = code_points(text);
    if (node.min_length && length < *node.min_length)
      report("expected at least " + plural(*node.min_length, "character") + ", got " +
             std::to_string(length));
    if (node.max_length && length > *node.max_length)
      report("expected at most " + plural(*node.max_length, "character") + ", got " +
             std::to_string(length));
  }

  void check_number(const Node& node, double n) {
    const auto out_of_bound = [&](std::string_view relation, double bound) {
      report("expected a number " + std::string(relation) + " " + number_text(bound) + ", got " +
             number_text(n));
    };
    if (node.minimum && !(n >= *node.minimum))
      out_of_bound(">=", *node.minimum);
    if (node.maximum && !(n <= *node.maximum))
      out_of_bound("<=", *node.maximum);
    if (node.exclusive_minimum && !(n > *node.exclusive_minimum))
      out_of_bound(">", *node.exclusive_minimum);
    if (node.exclusive_maximum && !(n < *node.exclusive_maximum))
      out_of_bound("<", *node.exclusive_maximum);
  }

  // Each alternative is tried by a checker of its own, so that its violations stay out of the
  // report unless every alternative fails.
  std::vector<Violation> try_alternative(NodeId id, const json::Value& value) const {
    Checker alternative(nodes_);
    alternative.steps_ = steps_;
    alternative.nesting_ = nesting_;
    alternative.check(id, value);
    return std::move(alternative).take();
  }

  void check_any_of(const std::vector<NodeId>& alternatives, const json::Value& value) {
    std::string reasons;
    for (std::size_t i = 0; i < alternatives.size(); ++i) {
      const std::vector<Violation> found = try_alternative(alternatives[i], value);
      if (found.empty())
        return;
      reasons += (i == 0 ? "" : "; ") + relative(found.front());
    }
    report("matches none of the alternatives (" + reasons + ")");
  }

  void check_one_of(const std::vector<NodeId>& alternatives, const json::Value& value) {
    std::size_t matched = 0;
    std::string reasons;
    for (std::size_t i = 0; i < alternatives.size(); ++i) {
      const std::vector<Violation> found = try_alternative(alternatives[i], value);
      if (found.empty()) {
        ++matched;
      } else {
        reasons += (reasons.empty() ? "" : "; ") + relative(found.front());
      }
    }
    if (matched == 0)
      report("matches none of the alternatives (" + reasons + ")");
    if (matched > 1)
      report("matches " + std::to_string(matched) + " alternatives of oneOf, expected exactly one");
  }

  // A violation found below the current value, with its path relative to it.
  std::string relative(const Violation& v) const {
    const std::string below = v.path.substr(std::min(path().size(), v.path.size()));
    return below.empty() ? v.message : below + ": " + v.message;
  }

  static bool has_member(const json::Object& members, std::string_view name) {
    for (const auto& member : members) {
      if (member.first == name)
        return true;
    }
    return false;
  }

  static const NodeId* property(const Node& node, std::string_view name) {
    for (const auto& [known, id] : node.properties) {
      if (known == name)
        return &id;
    }
    return nullptr;
  }

  static std::string allowed_names(const Node& node) {
    if (node.properties.empty())
      return "";
    std::string names = " (allowed: ";
    for (std::size_t i = 0; i < node.properties.size() && i < kMaxListed; ++i)
      names += (i == 0 ? "" : ", ") + node.properties[i].first;
    return names + (node.properties.size() > kMaxListed ? ", …)" : ")");
  }

  // JSON equality, where 1 and 1.0 are the same number.
  static bool same(const json::Value& a, const json::Value& b) {
    if (a.is_number() && b.is_number())
      return a.as_double() == b.as_double();
    if (a.kind() != b.kind())
      return false;
    if (const json::Array* xs = a.if_array()) {
      const json::Array& ys = *b.if_array();
      if (xs->size() != ys.size())
        return false;
      for (std::size_t i = 0; i < xs->size(); ++i) {
        if (!same((*xs)[i], ys[i]))
          return false;
      }
      return true;
    }
    if (const json::Object* xs = a.if_object()) {
      const json::Object& ys = *b.if_object();
      if (xs->size() != ys.size())
        return false;
      for (const auto& [name, x] : *xs) {
        const json::Value* y = b.find(name);
        if (y == nullptr || !same(x, *y))
          return false;
      }
      return true;
    }
    return a == b;
  }

  static bool matches_any(const std::vector<json::Value>& values, const json::Value& value) {
    for (const json::Value& candidate : values) {
      if (same(candidate, value))
        return true;
    }
    return false;
  }

  const std::vector<Node>& nodes_;
  std::vector<PathStep> steps_;
  std::size_t nesting_ = 0;
  std::vector<Violation> out_;
};

}  // namespace

std::vector<Violation> SchemaValidator::validate(const json::Value& value) const {
  Checker checker(compiled_->nodes);
  checker.check(0, value);
  return std::move(checker).take();
}

std::vector<Violation> SchemaValidator::validate(std::string_view text) const {
  result<json::Value> parsed = json::parse(text);
  if (!parsed)
    return {Violation{"$", "not valid JSON: " + parsed.error().message}};
  return validate(parsed.value());
}

result<json::Value> SchemaValidator::check(std::string_view text) const {
  result<json::Value> parsed = json::parse(text);
  if (!parsed) {
    return fail(errc::bad_response, "the answer is not valid JSON: " + parsed.error().message,
                parsed.error().details);
  }
  const std::vector<Violation> violations = validate(parsed.value());
  if (violations.empty())
    return std::move(parsed).value();
  std::string message = "the answer does not match its schema:";
  json::Array details;
  for (const Violation& v : violations) {
    message += "\n" + v.to_string();
    details.push_back(json::Value(
        json::Object{{"path", json::Value(v.path)}, {"message", json::Value(v.message)}}));
  }
  return fail(errc::bad_response, std::move(message),
              json::Value(json::Object{{"violations", json::Value(std::move(details))}}));
}

}  // namespace opsgraph::llm
