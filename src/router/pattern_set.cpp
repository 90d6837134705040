#include "router/pattern_set.hpp"

#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <cctype>

namespace opsgraph::router::detail {
namespace {

// Keyword edges. An ASCII letter or digit at the edge takes RE2's \b (ASCII word boundary, cheap
// in the DFA). Another letter (é, ß, Cyrillic) needs a class of its own: non-ASCII characters
// below U+3000 count as word characters. Unicode classes like \pL would be exact but multiply the
// set's automaton past any sensible memory budget.
constexpr std::string_view kAsciiBoundary = R"(\b)";
constexpr std::string_view kBoundaryBefore = R"((?:^|[^a-z0-9_\x{80}-\x{2fff}]))";
constexpr std::string_view kBoundaryAfter = R"((?:$|[^a-z0-9_\x{80}-\x{2fff}]))";

enum class Edge { ascii_word, other_word, unspaced, punctuation };

// Scripts written without spaces between words: a keyword edge in them is not a word edge.
bool is_unspaced(UChar32 c) noexcept {
  UErrorCode status = U_ZERO_ERROR;
  const UScriptCode script = uscript_getScript(c, &status);
  return script == USCRIPT_HAN || script == USCRIPT_HIRAGANA || script == USCRIPT_KATAKANA ||
         script == USCRIPT_THAI;
}

Edge edge_of(UChar32 c) noexcept {
  if (c < 0x80)
    return std::isalnum(c) || c == '_' ? Edge::ascii_word : Edge::punctuation;
  if (is_unspaced(c))
    return Edge::unspaced;
  return u_isalnum(c) ? Edge::other_word : Edge::punctuation;
}

std::string_view boundary(Edge edge, std::string_view other_word) noexcept {
  switch (edge) {
    case Edge::ascii_word:
      return kAsciiBoundary;
    case Edge::other_word:
      return other_word;
    case Edge::unspaced:
    case Edge::punctuation:
      return {};
  }
  return {};
}

UChar32 first_code_point(std::string_view text) noexcept {
  int32_t i = 0;
  UChar32 c = 0;
  U8_NEXT(text.data(), i, static_cast<int32_t>(text.size()), c);
  return c;
}

UChar32 last_code_point(std::string_view text) noexcept {
  auto i = static_cast<int32_t>(text.size());
  UChar32 c = 0;
  U8_PREV(text.data(), 0, i, c);
  return c;
}

}  // namespace

std::string keyword_pattern(std::string_view keyword) {
  const bool open_end = keyword.ends_with('*');
  if (open_end)
    keyword.remove_suffix(1);
  std::string pattern;
  if (!keyword.empty())
    pattern += boundary(edge_of(first_code_point(keyword)), kBoundaryBefore);
  std::size_t start = 0;
  while (start < keyword.size()) {
    std::size_t space = keyword.find(' ', start);
    if (space == std::string_view::npos)
      space = keyword.size();
    if (space > start) {
      if (start > 0)
        pattern += R"(\s+)";
      pattern += RE2::QuoteMeta(keyword.substr(start, space - start));
    }
    start = space + 1;
  }
  if (!open_end && !keyword.empty())
    pattern += boundary(edge_of(last_code_point(keyword)), kBoundaryAfter);
  return pattern;
}

RE2::Options pattern_options() {
  RE2::Options options;
  options.set_encoding(RE2::Options::EncodingUTF8);
  options.set_log_errors(false);
  options.set_never_capture(true);
  // Hundreds of alternatives with Unicode classes need more than RE2's 8 MiB default.
  options.set_max_mem(int64_t{64} << 20);
  return options;
}

result<PatternSet> PatternSet::compile(const RuleFile& rules, const Normalizer& normalizer) {
  auto set = std::make_unique<RE2::Set>(pattern_options(), RE2::UNANCHORED);
  std::vector<std::size_t> rule_of_pattern;
  std::vector<bool> unconditional(rules.rules.size(), false);

  const auto add = [&](std::size_t rule, const std::string& pattern) -> result<void> {
    std::string error;
    if (set->Add(pattern, &error) < 0) {
      return fail(errc::invalid_argument,
                  "rule \"" + rules.rules[rule].id + "\": pattern " + pattern + ": " + error);
    }
    rule_of_pattern.push_back(rule);
    return ok();
  };

  for (std::size_t i = 0; i < rules.rules.size(); ++i) {
    const Rule& rule = rules.rules[i];
    unconditional[i] = rule.keywords.empty() && rule.patterns.empty();
    for (const std::string& keyword : rule.keywords) {
      OPSGRAPH_TRY(NormalizedText folded, normalizer.normalize(keyword));
      OPSGRAPH_TRY(add(i, keyword_pattern(folded.text)));
    }
    for (const std::string& pattern : rule.patterns) {
      OPSGRAPH_TRY(add(i, pattern));
    }
  }
  if (!rule_of_pattern.empty() && !set->Compile()) {
    return fail(errc::invalid_argument,
                "the rules' patterns together exceed RE2's memory budget; use fewer or simpler "
                "patterns");
  }
  return PatternSet(std::move(set), std::move(rule_of_pattern), std::move(unconditional));
}

result<std::vector<bool>> PatternSet::match(std::string_view text) const {
  std::vector<bool> matched = unconditional_;
  if (rule_of_pattern_.empty())
    return matched;
  std::vector<int> hits;
  RE2::Set::ErrorInfo error{};
  if (!set_->Match(text, &hits, &error) && error.kind != RE2::Set::kNoError) {
    return fail(errc::internal, "rule matcher failed (RE2 error " +
                                    std::to_string(static_cast<int>(error.kind)) + ")");
  }
  for (int hit : hits)
    matched[rule_of_pattern_[static_cast<std::size_t>(hit)]] = true;
  return matched;
}

}  // namespace opsgraph::router::detail
