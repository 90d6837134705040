#include <algorithm>
#include <opsgraph/core/json.hpp>
#include <opsgraph/core/json_codec.hpp>
#include <set>
#include <string>

#include "safety/rule.hpp"

namespace opsgraph::safety::detail {
namespace {

constexpr std::string_view kCategories[] = {
    "destructive_delete", "disk_wipe",           "remote_code_execution", "reverse_shell",
    "credential_access",  "security_controls",   "persistence",           "privilege_escalation",
    "anti_forensics",     "resource_exhaustion", "permission_weakening",  "database_destruction",
    "hardcoded_secret",   "insecure_transport",  "shutdown_reboot",       "open_network"};

// Builds errors that say where in the file they are.
class Location {
 public:
  explicit Location(std::string_view file_name) : prefix_(std::string(file_name) + ": ") {}
  Location rule(std::size_t index, std::string_view id) const {
    Location inner = *this;
    inner.prefix_ += "rules[" + std::to_string(index) + "]";
    if (!id.empty())
      inner.prefix_ += " (\"" + std::string(id) + "\")";
    inner.prefix_ += ": ";
    return inner;
  }
  Error error(std::string_view field, std::string_view what) const {
    std::string message = prefix_;
    if (!field.empty())
      message += "field \"" + std::string(field) + "\": ";
    message += what;
    return make_error(errc::invalid_argument, std::move(message));
  }

 private:
  std::string prefix_;
};

result<std::string> required_string(const json::Value& rule, std::string_view field,
                                    const Location& at) {
  const json::Value* value = rule.find(field);
  if (value == nullptr)
    return fail(at.error(field, "missing"));
  const std::string* text = value->if_string();
  if (text == nullptr || text->empty())
    return fail(at.error(field, "expected a non-empty string"));
  return *text;
}

result<std::vector<std::string>> string_list(const json::Value& rule, std::string_view field,
                                             const Location& at, bool required) {
  std::vector<std::string> out;
  const json::Value* value = rule.find(field);
  if (value == nullptr) {
    if (required)
      return fail(at.error(field, "missing"));
    return out;
  }
  const json::Array* items = value->if_array();
  if (items == nullptr || (required && items->empty()))
    return fail(at.error(field, required ? "expected a non-empty array of strings"
                                         : "expected an array of strings"));
  for (std::size_t i = 0; i < items->size(); ++i) {
    const std::string* text = (*items)[i].if_string();
    if (text == nullptr || text->empty()) {
      return fail(at.error(std::string(field) + "[" + std::to_string(i) + "]",
                           "expected a non-empty string"));
    }
    out.push_back(*text);
  }
  return out;
}

result<Rule> parse_rule(const json::Value& value, std::size_t index, const Location& file) {
  const json::Value* id_value = value.find("id");
  const std::string* id_text = id_value != nullptr ? id_value->if_string() : nullptr;
  const Location at = file.rule(index, id_text != nullptr ? *id_text : "");
  if (!value.is_object())
    return fail(at.error("", "expected an object"));
  Rule rule;
  OPSGRAPH_TRY(rule.id, required_string(value, "id", at));
  OPSGRAPH_TRY(rule.category, required_string(value, "category", at));
  if (!is_security_category(rule.category)) {
    return fail(at.error(
        "category", "\"" + rule.category + "\" is not one of the categories in docs/safety.md"));
  }
  OPSGRAPH_TRY(auto severity_name, required_string(value, "severity", at));
  auto severity = json::decode<Severity>("\"" + severity_name + "\"");
  if (!severity)
    return fail(at.error("severity", "expected one of info, low, medium, high, critical"));
  rule.severity = severity.value();
  OPSGRAPH_TRY(auto languages, string_list(value, "languages", at, true));
  for (const std::string& name : languages) {
    auto language = parse_language(name);
    if (!language)
      return fail(at.error("languages", language.error().message));
    rule.languages.push_back(language.value());
  }
  OPSGRAPH_TRY(rule.patterns, string_list(value, "patterns", at, true));
  OPSGRAPH_TRY(rule.unless, string_list(value, "unless", at, false));
  OPSGRAPH_TRY(rule.message, required_string(value, "message", at));
  return rule;
}

}  // namespace

bool is_security_category(std::string_view category) noexcept {
  return std::find(std::begin(kCategories), std::end(kCategories), category) !=
         std::end(kCategories);
}

result<std::vector<Rule>> parse_rule_file(std::string_view text, std::string_view file_name) {
  const Location file(file_name);
  auto document = json::parse(text);
  if (!document)
    return fail(file.error("", document.error().message));
  const json::Value* version = document.value().find("version");
  if (version == nullptr || version->if_integer() == nullptr ||
      *version->if_integer() != kRuleFileVersion) {
    return fail(file.error("version", "expected " + std::to_string(kRuleFileVersion)));
  }
  const json::Value* rules = document.value().find("rules");
  if (rules == nullptr || !rules->is_array())
    return fail(file.error("rules", "expected an array of rules"));
  std::vector<Rule> out;
  std::set<std::string, std::less<>> ids;
  for (std::size_t i = 0; i < rules->if_array()->size(); ++i) {
    OPSGRAPH_TRY(auto rule, parse_rule((*rules->if_array())[i], i, file));
    if (!ids.insert(rule.id).second)
      return fail(file.rule(i, rule.id).error("id", "used by an earlier rule"));
    out.push_back(std::move(rule));
  }
  return out;
}

}  // namespace opsgraph::safety::detail
