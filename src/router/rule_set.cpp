// Loading and validating rule files. Shape errors come from the JSON codecs; the meaning checks
// (unique ids, references, categories, regexes, ranges) are here. Every error names the file, the
// rule by index and id, and the field.
#include <re2/re2.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <opsgraph/router/rule_set.hpp>
#include <set>
#include <sstream>

#include "router/embedded.hpp"
#include "router/pattern_set.hpp"

namespace opsgraph::router {
namespace {

constexpr int kVersion = 1;

// Builds "<source>: rules[7] ("drop_database"): field "risk": <what>".
class RuleErrors {
 public:
  explicit RuleErrors(std::string_view source) : source_(source) {}

  Error file(std::string_view what) const {
    return make_error(errc::invalid_argument, source_ + ": " + std::string(what));
  }

  Error rule(std::size_t index, std::string_view id, std::string_view field,
             std::string_view what) const {
    std::string message = source_ + ": rules[" + std::to_string(index) + "]";
    if (!id.empty())
      message += " (\"" + std::string(id) + "\")";
    if (!field.empty())
      message += ": field \"" + std::string(field) + "\"";
    message += ": " + std::string(what);
    return make_error(
        errc::invalid_argument, std::move(message),
        json::Value(json::Object{
            {"rule", json::Value(index)}, {"id", json::Value(id)}, {"field", json::Value(field)}}));
  }

 private:
  std::string source_;
};

std::string_view id_of(const json::Value& document, std::size_t index) {
  const json::Value* rules = document.find("rules");
  const json::Array* array = rules ? rules->if_array() : nullptr;
  if (!array || index >= array->size())
    return {};
  const json::Value* id = (*array)[index].find("id");
  return id && id->is_string() ? std::string_view(*id->if_string()) : std::string_view();
}

// Turns a codec error at path "rules[7].risk" into the rule-naming form; other paths keep theirs.
Error shape_error(const RuleErrors& errors, const json::Value& document, const Error& decoded) {
  const json::Value* path_value = decoded.details.find("path");
  const std::string path = path_value && path_value->is_string() ? *path_value->if_string() : "";
  std::string_view what = decoded.message;
  if (!path.empty() && what.starts_with(path + ": "))
    what.remove_prefix(path.size() + 2);

  constexpr std::string_view kRules = "rules[";
  if (path.starts_with(kRules)) {
    const std::size_t close = path.find(']');
    std::size_t index = 0;
    std::from_chars(path.data() + kRules.size(), path.data() + close, index);
    std::string_view field = std::string_view(path).substr(close + 1);
    if (field.starts_with('.'))
      field.remove_prefix(1);
    return errors.rule(index, id_of(document, index), field, what);
  }
  return errors.file(path.empty() ? std::string(what)
                                  : "field \"" + path + "\": " + std::string(what));
}

bool is_identifier(std::string_view id) noexcept {
  return !id.empty() && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

bool in_unit_range(double x) noexcept {
  return x >= 0.0 && x <= 1.0;
}

result<void> check_keywords(const RuleErrors& errors, std::size_t index, const Rule& rule) {
  for (std::size_t k = 0; k < rule.keywords.size(); ++k) {
    const std::string& keyword = rule.keywords[k];
    const std::string field = "keywords[" + std::to_string(k) + "]";
    if (keyword.find_first_not_of(" *") == std::string::npos)
      return fail(errors.rule(index, rule.id, field, "empty keyword"));
    if (keyword.find('*') != keyword.size() - 1 && keyword.find('*') != std::string::npos)
      return fail(errors.rule(index, rule.id, field, "'*' may only end a keyword"));
  }
  for (std::size_t p = 0; p < rule.patterns.size(); ++p) {
    RE2 regex(rule.patterns[p], detail::pattern_options());
    if (!regex.ok()) {
      return fail(errors.rule(index, rule.id, "patterns[" + std::to_string(p) + "]",
                              "invalid regex: " + regex.error()));
    }
  }
  return ok();
}

result<void> check_references(const RuleErrors& errors, std::size_t index, const Rule& rule,
                              const std::set<std::string, std::less<>>& earlier) {
  const auto check = [&](std::string_view field,
                         const std::vector<std::string>& ids) -> result<void> {
    for (const std::string& id : ids) {
      if (!earlier.contains(id)) {
        return fail(errors.rule(
            index, rule.id, field,
            "unknown rule \"" + id + "\" (a rule may only refer to rules defined before it)"));
      }
    }
    return ok();
  };
  OPSGRAPH_TRY(check("all_of", rule.all_of));
  return check("unless", rule.unless);
}

result<void> check_rule(const RuleErrors& errors, std::size_t index, const Rule& rule,
                        const RuleFile& file, const std::set<std::string, std::less<>>& earlier) {
  if (!is_identifier(rule.id))
    return fail(errors.rule(index, rule.id, "id", "expected lowercase letters, digits and '_'"));
  if (earlier.contains(rule.id))
    return fail(errors.rule(index, rule.id, "id", "duplicate rule id"));
  if (rule.keywords.empty() && rule.patterns.empty() && rule.all_of.empty()) {
    return fail(errors.rule(index, rule.id, "keywords",
                            "a rule needs keywords, patterns or all_of to match anything"));
  }
  OPSGRAPH_TRY(check_keywords(errors, index, rule));
  OPSGRAPH_TRY(check_references(errors, index, rule, earlier));
  if (rule.category && std::find(file.categories.begin(), file.categories.end(), *rule.category) ==
                           file.categories.end()) {
    return fail(errors.rule(
        index, rule.id, "category",
        "unknown category \"" + *rule.category + "\" (add it to the file's \"categories\")"));
  }
  if (rule.score && !in_unit_range(*rule.score))
    return fail(errors.rule(index, rule.id, "score", "expected a number from 0 to 1"));
  if (rule.score && !rule.risk)
    return fail(errors.rule(index, rule.id, "score", "a score needs a risk level"));
  if (rule.score && rule.risk && level_of(*rule.score) != *rule.risk)
    return fail(errors.rule(index, rule.id, "score", "score is outside its risk level's band"));
  if (!in_unit_range(rule.complexity))
    return fail(errors.rule(index, rule.id, "complexity", "expected a number from 0 to 1"));
  if (!(rule.weight >= 0.0))
    return fail(errors.rule(index, rule.id, "weight", "expected a number of 0 or more"));
  return ok();
}

result<void> check_file(const RuleErrors& errors, const RuleFile& file) {
  if (file.version != kVersion)
    return fail(errors.file("field \"version\": expected 1"));
  const std::set<std::string, std::less<>> categories(file.categories.begin(),
                                                      file.categories.end());
  if (categories.empty() || categories.size() != file.categories.size())
    return fail(errors.file("field \"categories\": expected a non-empty list of distinct names"));
  if (!categories.contains(file.default_category)) {
    return fail(errors.file("field \"default_category\": \"" + file.default_category +
                            "\" is not one of the categories"));
  }
  std::set<std::string, std::less<>> earlier;
  for (std::size_t i = 0; i < file.rules.size(); ++i) {
    OPSGRAPH_TRY(check_rule(errors, i, file.rules[i], file, earlier));
    earlier.insert(file.rules[i].id);
  }
  return ok();
}

}  // namespace

result<RuleSet> RuleSet::parse(std::string_view text, std::string_view source) {
  const RuleErrors errors(source);
  result<json::Value> document = json::parse(text);
  if (!document)
    return fail(errors.file(document.error().message));
  result<RuleFile> file = json::from_value<RuleFile>(document.value());
  if (!file)
    return fail(shape_error(errors, document.value(), file.error()));
  OPSGRAPH_TRY(check_file(errors, file.value()));
  return RuleSet(std::move(file).value(), std::string(source));
}

result<RuleSet> RuleSet::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return fail(errc::not_found, "cannot read rule file " + path);
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad())
    return fail(errc::not_found, "cannot read rule file " + path);
  return parse(text.str(), path);
}

result<RuleSet> RuleSet::defaults() {
  return parse(embedded::router_rules(), "router.json (built in)");
}

}  // namespace opsgraph::router
