// Rules files: JSON text -> validated Rules, with errors that name the file, rule and field.

#include <re2/re2.h>

#include <algorithm>
#include <fstream>
#include <initializer_list>
#include <opsgraph/core/json.hpp>
#include <opsgraph/mock/rules.hpp>
#include <sstream>

namespace opsgraph::mock {

namespace {

// Where in the file a value sits, for messages: "rules.json: rules[2].match.model".
class Location {
 public:
  Location(std::string_view source, std::string path) : source_(source), path_(std::move(path)) {}
  Location member(std::string_view name) const {
    return {source_, path_ + "." + std::string(name)};
  }
  Location element(std::size_t index) const {
    return {source_, path_ + "[" + std::to_string(index) + "]"};
  }
  Error error(std::string_view what) const {
    return make_error(errc::invalid_argument,
                      std::string(source_) + ": " + path_ + ": " + std::string(what));
  }

 private:
  std::string_view source_;
  std::string path_;
};

result<void> check_members(const json::Value& object, const Location& at,
                           std::initializer_list<std::string_view> known) {
  if (!object.is_object())
    return fail(at.error("expected an object"));
  for (const auto& [key, value] : *object.if_object()) {
    if (std::ranges::find(known, key) == known.end())
      return fail(at.member(key).error("unknown field"));
  }
  return ok();
}

result<std::string> read_string(const json::Value& object, std::string_view key, const Location& at,
                                std::string fallback) {
  const auto* value = object.find(key);
  if (value == nullptr)
    return fallback;
  if (!value->is_string())
    return fail(at.member(key).error("expected a string"));
  return *value->if_string();
}

result<std::int64_t> read_count(const json::Value& value, const Location& at) {
  const auto* n = value.if_integer();
  if (n == nullptr || *n < 0)
    return fail(at.error("expected a non-negative integer"));
  return *n;
}

result<llm::Usage> read_usage(const json::Value& value, const Location& at) {
  OPSGRAPH_TRY(check_members(value, at, {"prompt_tokens", "completion_tokens"}));
  llm::Usage usage;
  if (const auto* prompt = value.find("prompt_tokens")) {
    OPSGRAPH_TRY(usage.prompt_tokens, read_count(*prompt, at.member("prompt_tokens")));
  }
  if (const auto* completion = value.find("completion_tokens")) {
    OPSGRAPH_TRY(usage.completion_tokens, read_count(*completion, at.member("completion_tokens")));
  }
  usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
  return usage;
}

result<RuleResponse> read_response(const json::Value& value, const Location& at) {
  OPSGRAPH_TRY(check_members(value, at, {"content", "json", "finish_reason", "usage", "fault"}));
  if (value.find("content") != nullptr && value.find("json") != nullptr)
    return fail(at.error("content and json are exclusive"));
  RuleResponse response;
  OPSGRAPH_TRY(response.content, read_string(value, "content", at, ""));
  if (const auto* json_value = value.find("json"))
    response.json = *json_value;
  OPSGRAPH_TRY(response.finish_reason, read_string(value, "finish_reason", at, "stop"));
  if (const auto* usage = value.find("usage")) {
    OPSGRAPH_TRY(response.usage, read_usage(*usage, at.member("usage")));
  }
  OPSGRAPH_TRY(auto fault, read_string(value, "fault", at, ""));
  if (!fault.empty()) {
    auto parsed = parse_fault(fault);
    if (!parsed)
      return fail(at.member("fault").error(parsed.error().message));
    response.fault = parsed.value();
  }
  return response;
}

result<RuleMatch> read_match(const json::Value& value, const Location& at) {
  OPSGRAPH_TRY(
      check_members(value, at, {"model", "system_contains", "user_contains", "user_regex"}));
  RuleMatch match;
  OPSGRAPH_TRY(match.model, read_string(value, "model", at, "*"));
  OPSGRAPH_TRY(match.system_contains, read_string(value, "system_contains", at, ""));
  OPSGRAPH_TRY(match.user_contains, read_string(value, "user_contains", at, ""));
  OPSGRAPH_TRY(match.user_regex, read_string(value, "user_regex", at, ""));
  return match;
}

result<Rule> read_rule(const json::Value& value, const Location& at) {
  OPSGRAPH_TRY(check_members(value, at, {"name", "match", "response", "responses", "times"}));
  Rule rule;
  OPSGRAPH_TRY(rule.name, read_string(value, "name", at, ""));
  if (const auto* match = value.find("match")) {
    OPSGRAPH_TRY(rule.match, read_match(*match, at.member("match")));
  }
  const auto* single = value.find("response");
  const auto* sequence = value.find("responses");
  if ((single == nullptr) == (sequence == nullptr))
    return fail(at.error("needs exactly one of response and responses"));
  if (single != nullptr) {
    OPSGRAPH_TRY(auto response, read_response(*single, at.member("response")));
    rule.responses.push_back(std::move(response));
  } else {
    const auto* items = sequence->if_array();
    if (items == nullptr || items->empty())
      return fail(at.member("responses").error("expected a non-empty array"));
    for (std::size_t i = 0; i < items->size(); ++i) {
      OPSGRAPH_TRY(auto response, read_response((*items)[i], at.member("responses").element(i)));
      rule.responses.push_back(std::move(response));
    }
  }
  if (const auto* times = value.find("times")) {
    OPSGRAPH_TRY(auto count, read_count(*times, at.member("times")));
    rule.times = static_cast<std::size_t>(count);
  }
  if (auto valid = validate_rule(rule, ""); !valid)
    return fail(at.error(valid.error().message));
  return rule;
}

}  // namespace

result<void> validate_rule(const Rule& rule, std::string_view where) {
  const std::string prefix = where.empty() ? "" : std::string(where) + ": ";
  if (rule.responses.empty())
    return fail(errc::invalid_argument, prefix + "a rule needs at least one response");
  if (rule.times && *rule.times == 0)
    return fail(errc::invalid_argument, prefix + "times must be at least 1");
  if (!rule.match.user_regex.empty()) {
    RE2::Options options;
    options.set_log_errors(false);
    RE2 regex(rule.match.user_regex, options);
    if (!regex.ok())
      return fail(errc::invalid_argument, prefix + "user_regex: " + regex.error());
  }
  return ok();
}

result<std::vector<Rule>> parse_rules(std::string_view text, std::string_view source) {
  auto document = json::parse(text);
  if (!document)
    return fail(errc::invalid_argument, std::string(source) + ": " + document.error().message);
  const Location root(source, "rules");
  OPSGRAPH_TRY(check_members(document.value(), Location(source, "(top level)"), {"rules"}));
  const auto* rules = document.value().find("rules");
  if (rules == nullptr || !rules->is_array())
    return fail(root.error("expected an array of rules"));
  std::vector<Rule> parsed;
  for (std::size_t i = 0; i < rules->if_array()->size(); ++i) {
    OPSGRAPH_TRY(auto rule, read_rule((*rules->if_array())[i], root.element(i)));
    parsed.push_back(std::move(rule));
  }
  return parsed;
}

result<std::vector<Rule>> load_rules_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return fail(errc::not_found, path + ": cannot open the rules file");
  std::ostringstream text;
  text << in.rdbuf();
  return parse_rules(text.str(), path);
}

}  // namespace opsgraph::mock
