#pragma once
// opsgraph::router::RuleSet — the validated rules of the deterministic routing stage, read from a
// JSON rule file (docs/router.md describes the format) or from the defaults compiled into the
// library (data/rules/router.json). A RuleSet is a plain value: copy it, read it from any thread.
// Validation happens once, at load: every regex compiles, ids are unique, references point to
// earlier rules, categories and agents are known; errors name the file, the rule and the field.

#include <opsgraph/core/json_codec.hpp>
#include <opsgraph/core/result.hpp>
#include <opsgraph/export.hpp>
#include <opsgraph/router/route_decision.hpp>
#include <opsgraph/safety/language.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace opsgraph::router {

/// One rule: what it matches and what it contributes when it fires.
///
/// A rule *matches* when one of its keywords or patterns occurs in the normalised text; a rule
/// with neither is a pure combination and needs all_of. It *fires* when it matches, every rule
/// named in all_of fired, and no rule named in unless fired. References point to rules earlier
/// in the file, so a rule file is evaluated in one forward pass over the set of matched patterns.
/// Plain value; the RuleSet that holds it has validated it.
struct Rule {
  std::string id;
  std::string description;
  /// Literal words or phrases, matched whole-word and case-insensitively after normalisation; a
  /// trailing `*` matches any word ending ("delet*"). Spaces match any run of whitespace.
  std::vector<std::string> keywords;
  /// RE2 regular expressions over the normalised (NFKC, case-folded) text.
  std::vector<std::string> patterns;
  std::vector<std::string> all_of;
  std::vector<std::string> unless;

  std::optional<Level> risk;
  /// The risk score this rule implies; defaults to the middle of its level's band.
  std::optional<double> score;
  bool requires_approval = false;
  /// The text tries to instruct the system: high risk and approval, whatever else matched.
  bool injection = false;
  std::optional<std::string> category;
  /// How strongly this rule votes for its category (the category with most weight wins).
  double weight = 1.0;
  std::vector<Agent> agents;
  /// The deliverable this rule's agents produce; when the request declines it, they are dropped.
  std::optional<Exclusion> deliverable;
  /// A deliverable the request declines when this rule fires.
  std::optional<Exclusion> excludes;
  std::optional<safety::Language> language;
  /// Added to the complexity score when the rule fires (multi-step wording, many systems).
  double complexity = 0.0;

  friend bool operator==(const Rule&, const Rule&) = default;
};

/// The whole file.
struct RuleFile {
  int version = 1;
  std::vector<std::string> categories;
  std::string default_category = "general";
  /// The agents of a request that no agent rule matched.
  std::vector<Agent> default_agents;
  std::vector<Rule> rules;

  friend bool operator==(const RuleFile&, const RuleFile&) = default;
};

class OPSGRAPH_API RuleSet {
 public:
  /// Reads and validates the rule file at `path`; not_found when it cannot be read,
  /// invalid_argument naming the file, rule and field when it is wrong.
  static result<RuleSet> load(const std::string& path);

  /// Validates rule-file text; `source` names it in error messages (a file name).
  static result<RuleSet> parse(std::string_view text, std::string_view source);

  /// The rules compiled into the library (data/rules/router.json).
  static result<RuleSet> defaults();

  const RuleFile& file() const noexcept { return file_; }
  /// Where the rules came from: a path, or "router.json (built in)".
  const std::string& source() const noexcept { return source_; }

 private:
  RuleSet(RuleFile file, std::string source) : file_(std::move(file)), source_(std::move(source)) {}

  RuleFile file_;
  std::string source_;
};

}  // namespace opsgraph::router

template <>
struct opsgraph::json::Schema<opsgraph::router::Rule> {
  using T = opsgraph::router::Rule;
  static constexpr auto fields = std::make_tuple(
      json::field("id", &T::id), json::optional_field("description", &T::description),
      json::optional_field("keywords", &T::keywords),
      json::optional_field("patterns", &T::patterns), json::optional_field("all_of", &T::all_of),
      json::optional_field("unless", &T::unless), json::optional_field("risk", &T::risk),
      json::optional_field("score", &T::score),
      json::optional_field("requires_approval", &T::requires_approval),
      json::optional_field("injection", &T::injection),
      json::optional_field("category", &T::category), json::optional_field("weight", &T::weight),
      json::optional_field("agents", &T::agents),
      json::optional_field("deliverable", &T::deliverable),
      json::optional_field("excludes", &T::excludes),
      json::optional_field("language", &T::language),
      json::optional_field("complexity", &T::complexity));
  static constexpr bool allow_unknown = false;
};

template <>
struct opsgraph::json::Schema<opsgraph::router::RuleFile> {
  using T = opsgraph::router::RuleFile;
  static constexpr auto fields = std::make_tuple(
      json::field("version", &T::version), json::field("categories", &T::categories),
      json::optional_field("default_category", &T::default_category),
      json::optional_field("default_agents", &T::default_agents), json::field("rules", &T::rules));
  static constexpr bool allow_unknown = false;
};
