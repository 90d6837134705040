#include "safety/rule_matcher.hpp"

#include <re2/re2.h>
#include <re2/set.h>

#include <array>
#include <string>

namespace opsgraph::safety::detail {
namespace {

constexpr std::size_t kLanguageCount = 4;

// What `{cmd}` stands for: the start of a command, optionally behind a pipe and wrappers that run
// the rest of the line as a command.
std::string_view command_start(Language language) noexcept {
  switch (language) {
    case Language::bash:
    case Language::azurecli:
      return R"((?:^|\n)(?:\| )?(?:(?:sudo|doas|nohup|exec|command|builtin|nice|env|xargs|setsid|)"
             R"(timeout|stdbuf|[\w./-]*/)(?:\s+-[-\w=]*|\s+\d+[smh]?|\s+[A-Z_]+=\S*)*\s+)*)";
    case Language::powershell:
      // A command also starts where another program is told to run it (-Command, schtasks /tr).
      return R"((?:^|\n|-command\s+["']?|/tr\s+["']?)(?:\| )?(?:[&.]\s*)?\(?)"
             R"((?:start-process\s+(?:-filepath\s+)?)?)";
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
  /// It can match across lines ((?s), or a newline outside [^\n]): located on the whole text.
  bool spans_lines = false;
};

bool spans_lines(std::string pattern) {
  for (std::size_t at; (at = pattern.find("[^\\n]")) != std::string::npos;)
    pattern.erase(at, 5);
  return pattern.find("(?s") != std::string::npos || pattern.find("\\n") != std::string::npos;
}

// Matches are located block by block: blocks of about this size end at a line that does not
// continue a pipeline, and a search may read this far past its block's end.
constexpr std::size_t kBlockBytes = 2048;
constexpr std::size_t kBlockSlack = 1024;

struct Block {
  std::size_t begin;
  std::size_t end;
};

std::vector<Block> split_blocks(std::string_view text) {
  std::vector<Block> blocks;
  std::size_t begin = 0;
  while (begin < text.size()) {
    std::size_t end = std::min(begin + kBlockBytes, text.size());
    while (end < text.size() && (text[end - 1] != '\n' || text.substr(end, 2) == "| "))
      ++end;
    blocks.push_back(Block{begin, end});
    begin = end;
  }
  return blocks;
}

struct LanguageMatcher {
  std::unique_ptr<RE2::Set> set;
  std::vector<PatternRef> patterns;                  // by set index
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

result<void> add_language(LanguageMatcher& matcher, const std::vector<Rule>& rules,
                          Language language, std::string_view file_name) {
  matcher.set = std::make_unique<RE2::Set>(options(), RE2::UNANCHORED);
  matcher.unless_by_rule.resize(rules.size());
  for (std::size_t r = 0; r < rules.size(); ++r) {
    const Rule& rule = rules[r];
    if (std::find(rule.languages.begin(), rule.languages.end(), language) == rule.languages.end())
      continue;
    for (std::size_t p = 0; p < rule.patterns.size(); ++p) {
      OPSGRAPH_TRY(check_syntax(rule.patterns[p], file_name, r, rule,
                                "patterns[" + std::to_string(p) + "]"));
      const std::string pattern = expand(rule.patterns[p], language);
      auto regex = std::make_unique<RE2>(pattern, options());
      if (!regex->ok() || matcher.set->Add(pattern, nullptr) < 0) {
        return fail(errc::invalid_argument,
                    where(file_name, r, rule, "patterns[" + std::to_string(p) + "]") +
                        "not a valid RE2 pattern: " + regex->error());
      }
      matcher.patterns.push_back(PatternRef{r, std::move(regex), spans_lines(rule.patterns[p])});
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
  if (!matcher.set->Compile())
    return fail(errc::internal, std::string(file_name) + ": the rules do not fit in memory");
  return ok();
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

// Appends a hit for each line of `block` where `pattern` matches (searching a little past the block
// for a match that starts inside it), unless the rule's guards match that line.
void locate(const LanguageMatcher& matcher, const PatternRef& pattern, std::string_view text,
            Block block, std::vector<RuleMatcher::Hit>& hits) {
  const RE2* unless = matcher.unless_by_rule[pattern.rule].get();
  const re2::StringPiece input(text.data(), text.size());
  const std::size_t limit = std::min(block.end + kBlockSlack, text.size());
  re2::StringPiece found;
  // `{cmd}` may match the newline that ends the line before the block.
  std::size_t position = block.begin > 0 ? block.begin - 1 : 0;
  while (position < block.end &&
         pattern.regex->Match(input, position, limit, RE2::UNANCHORED, &found, 1)) {
    std::size_t offset = static_cast<std::size_t>(found.data() - text.data());
    // `{cmd}` may have consumed the newline before the command: report the command itself.
    while (offset < text.size() && text[offset] == '\n')
      ++offset;
    if (offset >= block.end)
      break;
    const std::string_view line = line_at(text, offset);
    if (unless == nullptr || !RE2::PartialMatch(line, *unless))
      hits.push_back(RuleMatcher::Hit{pattern.rule, offset});
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

void RuleMatcher::match(Language language, std::string_view text, std::vector<Hit>& hits) const {
  const LanguageMatcher& matcher = compiled_->by_language[static_cast<std::size_t>(language)];
  if (matcher.patterns.empty())
    return;
  std::vector<int> matched;
  RE2::Set::ErrorInfo error{};
  if (!matcher.set->Match(text, &matched, &error) && error.kind != RE2::Set::kNoError) {
    // The set's DFA ran out of memory on this input: fall back to every pattern on its own.
    matched.clear();
    for (std::size_t i = 0; i < matcher.patterns.size(); ++i)
      matched.push_back(static_cast<int>(i));
  }
  if (matched.empty())
    return;
  // A second set pass, block by block, says where each pattern matched, so that locating a match
  // reads its blocks rather than the whole text once per matched pattern.
  const std::vector<Block> blocks = split_blocks(text);
  std::vector<std::vector<std::size_t>> blocks_of(matcher.patterns.size());
  if (blocks.size() > 1) {
    std::vector<int> in_block;
    for (std::size_t b = 0; b < blocks.size(); ++b) {
      in_block.clear();
      matcher.set->Match(text.substr(blocks[b].begin, blocks[b].end - blocks[b].begin), &in_block);
      for (int index : in_block)
        blocks_of[static_cast<std::size_t>(index)].push_back(b);
    }
  }
  for (int index : matched) {
    const PatternRef& pattern = matcher.patterns[static_cast<std::size_t>(index)];
    const std::vector<std::size_t>& where = blocks_of[static_cast<std::size_t>(index)];
    if (blocks.size() <= 1 || pattern.spans_lines || where.empty()) {
      locate(matcher, pattern, text, Block{0, text.size()}, hits);
      continue;
    }
    for (std::size_t b : where)
      locate(matcher, pattern, text, blocks[b], hits);
  }
}

}  // namespace opsgraph::safety::detail
