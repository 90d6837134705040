#include "safety/rule_matcher.hpp"

#include <re2/filtered_re2.h>
#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace opsgraph::safety::detail {
namespace {

constexpr std::size_t kLanguageCount = 4;

// What `{cmd}` stands for: the start of a command, optionally behind a pipe and wrappers that run
// the rest of the line as a command. Like the rules' whitespace, it never crosses a line, so a
// rule's match stays on the line of its command.
std::string_view command_start(Language language) noexcept {
  switch (language) {
    case Language::bash:
    case Language::azurecli:
      return R"((?:^|\n)(?:\| )?(?:(?:sudo|doas|nohup|exec|command|builtin|nice|env|xargs|setsid|)"
             R"(timeout|stdbuf|[\w./-]*/)(?:[^\S\n]+-[-\w=]*|[^\S\n]+\d+[smh]?|[^\S\n]+[A-Z_]+=\S*)*)"
             R"([^\S\n]+)*)";
    case Language::powershell:
      // A command also starts where another program is told to run it (-Command, schtasks /tr).
      return R"((?:^|\n|-command[^\S\n]+["']?|/tr[^\S\n]+["']?)(?:\| )?(?:[&.][^\S\n]*)?\(?)"
             R"((?:start-process[^\S\n]+(?:-filepath[^\S\n]+)?)?)";
    case Language::python:
      return R"((?:^|\n|[\s(;=]))";
  }
  return "^";
}

// `pattern` with {cmd} replaced by `command`.
std::string substitute_command(std::string_view pattern, std::string_view command) {
  std::string out;
  for (std::size_t i = 0; i < pattern.size();) {
    if (pattern.substr(i, 5) == "{cmd}") {
      out += command;
      i += 5;
    } else {
      out += pattern[i++];
    }
  }
  return out;
}

// What is compiled: the flags of the language (PowerShell is case-insensitive) and {cmd} spelled
// out.
std::string expand(std::string_view pattern, Language language) {
  return (language == Language::powershell ? "(?im)" : "(?m)") +
         substitute_command(pattern, command_start(language));
}

RE2::Options options() {
  RE2::Options o;
  o.set_log_errors(false);
  o.set_max_mem(std::int64_t{64} << 20);
  return o;
}

struct PatternRef {
  std::size_t rule;
  std::unique_ptr<RE2> regex;
};

// Where a pattern may meet a newline and still keep to its command's lines: the newline before
// the line, the one before a `| ` line that continues the pipeline, and as the pattern's last
// step, the one that ends the line.
constexpr std::string_view kNewlinesWithinACommand[] = {R"((?:^|\n)", R"(\n\|)"};
constexpr std::string_view kEndsOfLine[] = {R"((?:\n|$))", R"((?:\n|$|;))"};

// Whether an escape or class body (without its brackets) names the newline or all whitespace.
bool names_newline(std::string_view body) noexcept {
  for (std::size_t i = 0; i + 1 < body.size(); ++i) {
    if (body[i] == '\\' && (body[i + 1] == 'n' || body[i + 1] == 's'))
      return true;
    if (body[i] == '\\')
      ++i;
  }
  return false;
}

// `pattern` without what keeps it within a command: negated classes that exclude the newline,
// kNewlinesWithinACommand and kEndsOfLine.
std::string without_line_bound_parts(std::string pattern) {
  for (std::size_t at = 0; (at = pattern.find("[^", at)) != std::string::npos;) {
    std::size_t end = at + 2;
    while (end < pattern.size() && pattern[end] != ']')
      end += pattern[end] == '\\' ? 2 : 1;
    if (end < pattern.size() &&
        names_newline(std::string_view(pattern).substr(at + 2, end - at - 2)))
      pattern.erase(at, end + 1 - at);
    else
      at = end;
  }
  for (std::string_view newline : kNewlinesWithinACommand) {
    for (std::size_t at; (at = pattern.find(newline)) != std::string::npos;)
      pattern.erase(at + newline.find("\\n"), 2);
  }
  for (std::string_view end_of_line : kEndsOfLine) {
    if (std::string_view(pattern).ends_with(end_of_line))
      pattern.resize(pattern.size() - end_of_line.size());
  }
  return pattern;
}

// Whether a flag group of `pattern` ((?s), (?is:...) ...) lets `.` match the newline.
bool lets_dot_match_newline(std::string_view pattern) noexcept {
  for (std::size_t at = 0; (at = pattern.find("(?", at)) != std::string_view::npos;) {
    at += 2;
    const std::size_t flags_end = pattern.find_first_not_of("imsU-", at);
    if (pattern.substr(at, flags_end - at).find('s') != std::string_view::npos)
      return true;
  }
  return false;
}

// Whether `pattern` names a POSIX class ([:space:], [:^alpha:] ...), which may take a newline; a
// bracket that merely starts with ':' ([:=]) does not.
bool has_posix_class(std::string_view pattern) noexcept {
  for (std::size_t at = 0; (at = pattern.find("[:", at)) != std::string_view::npos;) {
    std::size_t end = at + 2;
    if (end < pattern.size() && pattern[end] == '^')
      ++end;
    const std::size_t name = end;
    while (end < pattern.size() && pattern[end] >= 'a' && pattern[end] <= 'z')
      ++end;
    if (end > name && pattern.substr(end, 2) == ":]")
      return true;
    at += 2;
  }
  return false;
}

// Whether a pattern as its author wrote it may match beyond its command's lines in the normalised
// text ({cmd} never does): `.` matches the newline, or a newline, a class or an escape (octal,
// hexadecimal, Unicode class, any byte) that may match one remains. Conservative: a pattern that
// cannot is matched and located block by block, any other on the whole text.
bool may_span_commands(std::string_view authored) {
  const std::string pattern = without_line_bound_parts(std::string(authored));
  if (lets_dot_match_newline(pattern) || pattern.find("[^") != std::string::npos ||
      has_posix_class(pattern) || pattern.find('\n') != std::string::npos)
    return true;
  for (std::size_t i = 0; i + 1 < pattern.size(); ++i) {
    if (pattern[i] != '\\')
      continue;
    if (std::string_view("nsWDpPCx01234567").find(pattern[i + 1]) != std::string_view::npos)
      return true;
    ++i;
  }
  return false;
}

// Patterns that keep to a command are matched block by block: blocks of about this many bytes,
// each a run of whole lines that never ends inside a pipeline (before a line that starts with
// '|').
constexpr std::size_t kBlockBytes = 1024;

struct Block {
  std::size_t begin;
  std::size_t end;
};

template <typename OnBlock>
void for_each_block(std::string_view text, OnBlock on_block) {
  for (std::size_t begin = 0; begin < text.size();) {
    std::size_t end = std::min(begin + kBlockBytes, text.size());
    while (end < text.size() && (text[end - 1] != '\n' || text[end] == '|'))
      ++end;
    on_block(Block{begin, end});
    begin = end;
  }
}

// One RE2::Set: the patterns it holds, by set index, then the literals (atoms) it looks for on
// behalf of the patterns that may span commands.
struct PatternSet {
  std::unique_ptr<RE2::Set> set;
  std::vector<std::size_t> patterns;  // set index -> index into LanguageMatcher::patterns
  std::vector<int> atoms;             // set index - patterns.size() -> atom id

  // Appends to `matched` the indices (into LanguageMatcher::patterns) of the patterns that may
  // match `text` and to `atoms` the atoms in it: those the set reports, or all of them when they
  // are too few for a set pass to pay (each one's own search skips to its literal prefix with
  // memchr) or the set's DFA ran out of memory on `text`. `set_hits` is scratch.
  void match(std::string_view text, std::vector<int>& set_hits, std::vector<std::size_t>& matched,
             std::vector<int>& atoms) const;
};

// The patterns that may span commands, with the literals each needs in the text: a pattern is
// searched (on the whole text) only when its prefilter passes on the atoms the block set found.
struct AcrossCommands {
  std::vector<std::size_t> patterns;  // filter id -> index into LanguageMatcher::patterns
  std::unique_ptr<re2::FilteredRE2> filter;
  std::vector<int> atoms_assumed_present;  // atoms the block set cannot see (they hold a newline)
};

struct LanguageMatcher {
  std::vector<PatternRef> patterns;
  PatternSet within_commands;  // matched block by block
  AcrossCommands across_commands;
  std::vector<std::unique_ptr<RE2>> unless_by_rule;  // by rule index; null when none
};

}  // namespace

struct RuleMatcher::Compiled {
  std::array<LanguageMatcher, kLanguageCount> by_language;
};

namespace {

std::string where(std::string_view file_name, std::size_t index, const Rule& rule,
                  std::string_view field) {
  return std::string(file_name) + ": rules[" + std::to_string(index) + "] (\"" + rule.id +
         "\"): field \"" + std::string(field) + "\": ";
}

// Compiles a pattern as its author wrote it, so that an error quotes their text.
result<void> check_syntax(std::string_view pattern, std::string_view file_name, std::size_t index,
                          const Rule& rule, std::string_view field) {
  const RE2 regex(substitute_command(pattern, ""), options());
  if (regex.ok())
    return ok();
  return fail(errc::invalid_argument,
              where(file_name, index, rule, field) + "not a valid RE2 pattern: " + regex.error());
}

// Adds `pattern`, the expansion of patterns[index], to `set`; false when RE2 rejects it.
bool add_pattern(PatternSet& set, std::string_view pattern, std::size_t index) {
  if (set.set == nullptr)
    set.set = std::make_unique<RE2::Set>(options(), RE2::UNANCHORED);
  if (set.set->Add(pattern, nullptr) < 0)
    return false;
  set.patterns.push_back(index);
  return true;
}

// Shorter atoms would pass the filter on nearly any text.
constexpr int kMinAtomBytes = 3;

// Prepares the prefilter of the patterns that may span commands and hands its atoms to the block
// set, read case-insensitively (atoms are lower case, as FilteredRE2 states them). An atom holding
// a newline could straddle two blocks: it is assumed present, which only lets its pattern through.
result<void> add_across_filter(LanguageMatcher& matcher, std::string_view file_name) {
  AcrossCommands& across = matcher.across_commands;
  if (across.patterns.empty())
    return ok();
  across.filter = std::make_unique<re2::FilteredRE2>(kMinAtomBytes);
  for (std::size_t pattern : across.patterns) {
    int id = 0;
    if (across.filter->Add(matcher.patterns[pattern].regex->pattern(), options(), &id) !=
        RE2::NoError)
      return fail(errc::internal,
                  std::string(file_name) + ": a rule pattern cannot be prefiltered");
  }
  std::vector<std::string> atoms;
  across.filter->Compile(&atoms);
  PatternSet& set = matcher.within_commands;
  for (std::size_t a = 0; a < atoms.size(); ++a) {
    if (atoms[a].find('\n') != std::string::npos) {
      across.atoms_assumed_present.push_back(static_cast<int>(a));
      continue;
    }
    if (set.set == nullptr)
      set.set = std::make_unique<RE2::Set>(options(), RE2::UNANCHORED);
    if (set.set->Add("(?i)" + RE2::QuoteMeta(atoms[a]), nullptr) < 0)
      return fail(errc::internal, std::string(file_name) + ": a rule literal cannot be matched");
    set.atoms.push_back(static_cast<int>(a));
  }
  return ok();
}

result<void> compile_set(PatternSet& set, std::string_view file_name) {
  if (set.set != nullptr && !set.set->Compile())
    return fail(errc::internal, std::string(file_name) + ": the rules do not fit in memory");
  return ok();
}

result<void> add_language(LanguageMatcher& matcher, const std::vector<Rule>& rules,
                          Language language, std::string_view file_name) {
  matcher.unless_by_rule.resize(rules.size());
  for (std::size_t r = 0; r < rules.size(); ++r) {
    const Rule& rule = rules[r];
    if (std::find(rule.languages.begin(), rule.languages.end(), language) == rule.languages.end())
      continue;
    for (std::size_t p = 0; p < rule.patterns.size(); ++p) {
      const std::string field = "patterns[" + std::to_string(p) + "]";
      OPSGRAPH_TRY(check_syntax(rule.patterns[p], file_name, r, rule, field));
      const std::string pattern = expand(rule.patterns[p], language);
      auto regex = std::make_unique<RE2>(pattern, options());
      const bool spans = may_span_commands(rule.patterns[p]);
      if (!regex->ok() ||
          (!spans && !add_pattern(matcher.within_commands, pattern, matcher.patterns.size()))) {
        return fail(errc::invalid_argument, where(file_name, r, rule, field) +
                                                "not a valid RE2 pattern: " + regex->error());
      }
      if (spans)
        matcher.across_commands.patterns.push_back(matcher.patterns.size());
      matcher.patterns.push_back(PatternRef{r, std::move(regex)});
    }
    if (!rule.unless.empty()) {
      std::string joined;
      for (std::size_t u = 0; u < rule.unless.size(); ++u) {
        OPSGRAPH_TRY(
            check_syntax(rule.unless[u], file_name, r, rule, "unless[" + std::to_string(u) + "]"));
        joined += (joined.empty() ? "(?:" : "|(?:") + rule.unless[u] + ")";
      }
      matcher.unless_by_rule[r] = std::make_unique<RE2>(expand(joined, language), options());
    }
  }
  OPSGRAPH_TRY(add_across_filter(matcher, file_name));
  return compile_set(matcher.within_commands, file_name);
}

// Up to this many patterns, searching each on its own is cheaper than a set pass first.
constexpr std::size_t kPatternsSearchedAlone = 2;

void PatternSet::match(std::string_view text, std::vector<int>& set_hits,
                       std::vector<std::size_t>& matched, std::vector<int>& atoms) const {
  if (set == nullptr)
    return;
  RE2::Set::ErrorInfo error{};
  if (patterns.size() + this->atoms.size() <= kPatternsSearchedAlone ||
      (!set->Match(text, &set_hits, &error) && error.kind != RE2::Set::kNoError)) {
    matched.insert(matched.end(), patterns.begin(), patterns.end());
    atoms.insert(atoms.end(), this->atoms.begin(), this->atoms.end());
    return;
  }
  for (int index : set_hits) {
    const auto at = static_cast<std::size_t>(index);
    if (at < patterns.size())
      matched.push_back(patterns[at]);
    else
      atoms.push_back(this->atoms[at - patterns.size()]);
  }
}

// The normalised line around `offset`.
std::string_view line_at(std::string_view text, std::size_t offset) noexcept {
  const std::size_t begin = offset == 0 ? 0 : text.rfind('\n', offset - 1);
  const std::size_t start = begin == std::string_view::npos || offset == 0 ? 0 : begin + 1;
  std::size_t end = text.find('\n', offset);
  if (end == std::string_view::npos)
    end = text.size();
  return text.substr(start, end - start);
}

// A hit and the pattern that found it, which orders hits at the same offset.
using PatternHit = RuleMatcher::Scratch::Found;

// Appends a hit for each line of `block` where `pattern` matches, unless the rule's guards match
// that line. A match lies inside the block, bar the newline `{cmd}` may take from the line before.
void locate(const LanguageMatcher& matcher, std::size_t pattern_index, std::string_view text,
            Block block, std::vector<PatternHit>& hits) {
  const PatternRef& pattern = matcher.patterns[pattern_index];
  const RE2* unless = matcher.unless_by_rule[pattern.rule].get();
  const re2::StringPiece input(text.data(), text.size());
  re2::StringPiece found;
  // `{cmd}` may match the newline that ends the line before the block.
  std::size_t position = block.begin > 0 ? block.begin - 1 : 0;
  while (position < block.end &&
         pattern.regex->Match(input, position, block.end, RE2::UNANCHORED, &found, 1)) {
    std::size_t offset = static_cast<std::size_t>(found.data() - text.data());
    // `{cmd}` may have consumed the newline before the command: report the command itself.
    while (offset < text.size() && text[offset] == '\n')
      ++offset;
    if (offset >= block.end)
      break;
    const std::string_view line = line_at(text, offset);
    if (unless == nullptr || !RE2::PartialMatch(line, *unless))
      hits.push_back(PatternHit{pattern_index, RuleMatcher::Hit{pattern.rule, offset}});
    // One hit per line is enough: continue on the next line.
    const std::size_t next_line = text.find('\n', offset);
    if (next_line == std::string_view::npos)
      break;
    position = std::max(next_line + 1, offset + 1);
  }
}

}  // namespace

result<RuleMatcher> RuleMatcher::compile(std::vector<Rule> rules, std::string_view file_name) {
  auto compiled = std::make_unique<Compiled>();
  for (Language language :
       {Language::bash, Language::powershell, Language::python, Language::azurecli}) {
    OPSGRAPH_TRY(add_language(compiled->by_language[static_cast<std::size_t>(language)], rules,
                              language, file_name));
  }
  return RuleMatcher(std::move(rules), std::move(compiled));
}

RuleMatcher::RuleMatcher(std::vector<Rule> rules, std::unique_ptr<Compiled> compiled)
    : rules_(std::move(rules)), compiled_(std::move(compiled)) {}
RuleMatcher::RuleMatcher(RuleMatcher&&) noexcept = default;
RuleMatcher& RuleMatcher::operator=(RuleMatcher&&) noexcept = default;
RuleMatcher::~RuleMatcher() = default;

void RuleMatcher::match(Language language, std::string_view text, std::vector<Hit>& hits,
                        Scratch& scratch) const {
  const LanguageMatcher& matcher = compiled_->by_language[static_cast<std::size_t>(language)];
  std::vector<PatternHit>& found = scratch.found;
  std::vector<std::size_t>& matched = scratch.patterns;
  found.clear();
  scratch.atoms.clear();
  // Patterns that keep to a command are matched block by block, so each is located within the
  // few blocks where the set saw it; the others need the whole text both to match and to be
  // located, and are searched only when the set saw every literal they need.
  for_each_block(text, [&](Block block) {
    matched.clear();
    scratch.set_hits.clear();
    matcher.within_commands.match(text.substr(block.begin, block.end - block.begin),
                                  scratch.set_hits, matched, scratch.atoms);
    for (std::size_t pattern : matched)
      locate(matcher, pattern, text, block, found);
  });
  const AcrossCommands& across = matcher.across_commands;
  if (!across.patterns.empty()) {
    std::vector<int>& atoms = scratch.atoms;
    atoms.insert(atoms.end(), across.atoms_assumed_present.begin(),
                 across.atoms_assumed_present.end());
    std::sort(atoms.begin(), atoms.end());
    atoms.erase(std::unique(atoms.begin(), atoms.end()), atoms.end());
    across.filter->AllPotentials(atoms, &scratch.candidates);
    for (int candidate : scratch.candidates) {
      locate(matcher, across.patterns[static_cast<std::size_t>(candidate)], text,
             Block{0, text.size()}, found);
    }
  }
  // Callers keep the first hit of a rule on a line: report in text order, so that it is the
  // leftmost whichever of the rule's patterns found it.
  std::sort(found.begin(), found.end(), [](const PatternHit& a, const PatternHit& b) {
    return std::tie(a.hit.offset, a.pattern) < std::tie(b.hit.offset, b.pattern);
  });
  for (const PatternHit& hit : found)
    hits.push_back(hit.hit);
}

}  // namespace opsgraph::safety::detail
