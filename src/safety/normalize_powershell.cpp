// The PowerShell normaliser: statements from the lexer become one line each, with variables that
// hold a plain string resolved (`$x = "Invoke-Expression"; & $x`), data commands (Write-Host and
// friends) reduced to their name unless piped into Invoke-Expression, and base64 payloads
// (-EncodedCommand, [Convert]::FromBase64String) decoded for a scan of their own.

#include <algorithm>
#include <cctype>
#include <charconv>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/string_hash.hpp"
#include "safety/normalized_script.hpp"
#include "safety/powershell_lexer.hpp"
#include "safety/text_decode.hpp"

namespace opsgraph::safety::detail {
namespace {

using Kind = PsToken::Kind;

void lower_in_place(std::string& text) noexcept {
  for (char& c : text)
    c = c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
}

std::string lower(std::string_view text) {
  std::string out(text);
  lower_in_place(out);
  return out;
}

// Inline: asked of nearly every token, mostly with one character in `set`.
inline bool is_punctuation(const PsToken& token, std::string_view set) noexcept {
  if (token.kind != Kind::punctuation)
    return false;
  for (char c : set) {
    if (token.text[0] == c)
      return true;
  }
  return false;
}

bool is_data_command(std::string_view name) noexcept {
  static constexpr std::string_view kNames[] = {
      "write-host",  "write-output",      "echo",        "write-verbose", "write-warning",
      "write-debug", "write-information", "write-error", "write-progress"};
  return std::find(std::begin(kNames), std::end(kNames), name) != std::end(kNames);
}

bool is_invoke_expression(std::string_view name) noexcept {
  return name == "iex" || name == "invoke-expression";
}

// Any prefix of -EncodedCommand that PowerShell accepts (-e, -ec, -enc, -encodedcommand, ...).
bool is_encoded_flag(std::string_view flag) noexcept {
  if (flag == "-ec")
    return true;
  constexpr std::string_view kFull = "-encodedcommand";
  return flag.size() >= 2 && flag.size() <= kFull.size() && kFull.starts_with(flag);
}

bool is_word(const PsToken& token, std::string_view lower_text) noexcept {
  return token.kind == Kind::word &&
         std::equal(token.text.begin(), token.text.end(), lower_text.begin(), lower_text.end(),
                    [](char c, char l) { return (c >= 'A' && c <= 'Z' ? c + 32 : c) == l; });
}

// [char[]](110, 101, ...) at k: the string those code points spell, and the index of its ')'.
std::optional<std::pair<std::string, std::size_t>> char_array_at(const PsStatement& statement,
                                                                 std::size_t k) {
  if (k + 5 >= statement.size() || !is_punctuation(statement[k], "[") ||
      !is_word(statement[k + 1], "char") || !is_punctuation(statement[k + 2], "[") ||
      !is_punctuation(statement[k + 3], "]") || !is_punctuation(statement[k + 4], "]") ||
      !is_punctuation(statement[k + 5], "("))
    return std::nullopt;
  std::string text;
  std::size_t j = k + 6;
  for (; j < statement.size() && !is_punctuation(statement[j], ")"); ++j) {
    if (statement[j].kind != Kind::word)
      continue;
    unsigned value = 0;
    const std::string_view digits = statement[j].text;
    const auto parsed = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (parsed.ec != std::errc() || value == 0 || value > 0x7F)
      return std::nullopt;
    text.push_back(static_cast<char>(value));
  }
  return std::make_pair(std::move(text), j);
}

using Names =
    std::unordered_map<std::string, std::string, opsgraph::detail::StringHash, std::equal_to<>>;

class PowerShellEmitter {
 public:
  explicit PowerShellEmitter(NormalizedScript& out) : out_(out) {}

  void emit(const PsPipeline& raw) {
    // Statements with nothing to simplify are used as the lexer gave them; the others are rebuilt
    // in statements reused from pipeline to pipeline, which keep their capacity.
    if (simplified_.size() < raw.size())
      simplified_.resize(raw.size());
    if (!folded_.empty())
      folded_.clear();
    pipeline_.clear();
    for (std::size_t k = 0; k < raw.size(); ++k) {
      if (has_run_time_string(raw[k])) {
        simplify(raw[k], simplified_[k]);
        pipeline_.push_back(&simplified_[k]);
      } else {
        pipeline_.push_back(&raw[k]);
      }
    }
    bool feeds_iex = false;
    for (std::size_t k = 1; k < pipeline_.size(); ++k)
      feeds_iex = feeds_iex || is_invoke_expression(command_name(*pipeline_[k]));
    for (std::size_t k = 0; k < pipeline_.size(); ++k) {
      const PsStatement& statement = *pipeline_[k];
      if (statement.empty())
        continue;
      if (k > 0)
        out_.append("| ", statement.front().origin);
      emit_statement(statement, k == 0 && feeds_iex);
      out_.end_command(statement.back().origin);
    }
  }

 private:
  // What simplify() folds starts at a '[' or a -join: without either, a statement stays as it is.
  static bool has_run_time_string(const PsStatement& statement) noexcept {
    return std::any_of(statement.begin(), statement.end(), [](const PsToken& token) {
      return is_punctuation(token, "[") || is_word(token, "-join");
    });
  }

  // Folds the obfuscations that build a string at run time into the string itself:
  // [char[]](...) code points, `-join` of one string, and `-join $s[-1..-($s.Length)]` (reversal).
  void simplify(const PsStatement& in, PsStatement& out) {
    out.clear();
    for (std::size_t k = 0; k < in.size(); ++k) {
      if (auto chars = char_array_at(in, k)) {
        out.push_back(PsToken{Kind::string, keep(std::move(chars->first)), in[k].origin, false});
        k = chars->second;
      } else if (is_word(in[k], "-join") && k + 3 < in.size() && in[k + 1].kind == Kind::variable &&
                 is_punctuation(in[k + 2], "[") && in[k + 3].text.starts_with("-1..")) {
        std::string text = resolve(in[k + 1]);
        std::reverse(text.begin(), text.end());
        out.push_back(PsToken{Kind::string, keep(std::move(text)), in[k].origin, false});
        int depth = 0;
        for (k += 2; k < in.size(); ++k) {
          depth += is_punctuation(in[k], "[") ? 1 : is_punctuation(in[k], "]") ? -1 : 0;
          if (depth == 0)
            break;
        }
      } else if (!(is_word(in[k], "-join") && k + 1 < in.size() &&
                   (in[k + 1].kind == Kind::string || char_array_at(in, k + 1)))) {
        out.push_back(in[k]);
      }
    }
  }

  // Text simplify() computed, kept for the views of the pipeline's simplified statements.
  std::string_view keep(std::string text) { return folded_.emplace_back(std::move(text)); }

  // Whether a "..." string names a variable to expand.
  static bool expands(const PsToken& token) noexcept {
    return token.kind == Kind::string && token.expandable &&
           token.text.find('$') != std::string_view::npos;
  }

  // The text a token stands for: known variables replaced by their value, also inside "...".
  std::string resolve(const PsToken& token) const {
    if (token.kind == Kind::variable) {
      if (auto known = variables_.find(token.text); known != variables_.end())
        return known->second;
      return "$" + std::string(token.text);
    }
    if (!expands(token))
      return std::string(token.text);
    std::string out;
    const std::string_view text = token.text;
    for (std::size_t i = 0; i < text.size(); ++i) {
      std::size_t end = i + 1;
      while (end < text.size() &&
             (std::isalnum(static_cast<unsigned char>(text[end])) != 0 || text[end] == '_'))
        ++end;
      const auto known = text[i] == '$' ? variables_.find(lower(text.substr(i + 1, end - i - 1)))
                                        : variables_.end();
      if (known == variables_.end()) {
        out.push_back(text[i]);
        continue;
      }
      out += known->second;
      i = end - 1;
    }
    return out;
  }

  // Only variables and strings can stand for other text: words and punctuation are appended as
  // they are, without a copy.
  void append_resolved(const PsToken& token) {
    if (token.kind == Kind::variable || expands(token))
      out_.append_token(resolve(token), token.origin);
    else
      out_.append_token(token.text, token.origin);
  }

  // Skips the call operators & and . that may precede a command.
  static std::size_t command_index(const PsStatement& statement) noexcept {
    std::size_t k = 0;
    while (k < statement.size() && (is_punctuation(statement[k], "&") ||
                                    (statement[k].kind == Kind::word && statement[k].text == ".")))
      ++k;
    return k;
  }

  std::string command_name(const PsStatement& statement) const {
    std::size_t k = command_index(statement);
    if (k + 2 < statement.size() && is_punctuation(statement[k], "("))
      ++k;  // &('Rem' + 'ove-Item')
    if (k >= statement.size())
      return {};
    std::string name = resolve(statement[k]);
    lower_in_place(name);
    if (aliases_.empty())
      return name;
    if (auto alias = aliases_.find(name); alias != aliases_.end())
      return alias->second;
    return name;
  }

  void emit_statement(const PsStatement& statement, bool feeds_iex) {
    const std::size_t start = command_index(statement);
    if (start >= statement.size())
      return;
    const std::string name = command_name(statement);
    if (is_data_command(name)) {
      if (feeds_iex)
        embed_arguments_as_code(statement, start);
      out_.append(statement[start].text, statement[start].origin);
      return;
    }
    if (is_invoke_expression(name))
      embed_arguments_as_code(statement, start);
    const bool assignment = is_assignment(statement);
    const bool is_shell = name == "powershell" || name == "pwsh" || name == "powershell.exe";
    for (std::size_t k = start; k < statement.size(); ++k) {
      const PsToken& token = statement[k];
      if (k > start && needs_space(statement[k - 1], token))
        out_.append(' ', token.origin);
      if (k == start && assignment) {
        out_.append('$', token.origin);  // the variable being assigned, as written
        out_.append(token.text, token.origin);
      } else if (k == start && !aliases_.empty() && aliases_.count(lower(resolve(token))) != 0) {
        out_.append(name, token.origin);
      } else {
        append_resolved(token);
      }
      if (k + 1 < statement.size())
        embed_payload_after(statement, k, is_shell);
    }
    record_alias(statement, name);
    if (assignment)
      variables_.insert_or_assign(std::string(statement[0].text), resolve(statement[2]));
  }

  // Encoded commands and FromBase64String literals are decoded; -Command strings and
  // [scriptblock]::Create arguments are code.
  void embed_payload_after(const PsStatement& statement, std::size_t k, bool is_shell) {
    const PsToken& next = statement[k + 1];
    const bool call = is_punctuation(next, "(") && k + 2 < statement.size();
    if (!call && !(is_shell && statement[k].kind == Kind::word))
      return;  // the common case, decided without a lower-case copy
    const std::string word = lower(statement[k].text);
    if (is_shell && statement[k].kind == Kind::word && (word == "-c" || word == "-command")) {
      out_.embedded.push_back(EmbeddedScript{Language::powershell, resolve(next), next.origin});
    } else if (is_shell && statement[k].kind == Kind::word && is_encoded_flag(word)) {
      embed_base64(resolve(next), next.origin, /*utf16=*/true);
    } else if (call && word.ends_with("frombase64string")) {
      embed_base64(resolve(statement[k + 2]), statement[k + 2].origin, /*utf16=*/false);
    } else if (call && word.ends_with("::create") && statement[k + 2].kind != Kind::punctuation) {
      out_.embedded.push_back(
          EmbeddedScript{Language::powershell, resolve(statement[k + 2]), statement[k + 2].origin});
    }
  }

  void embed_base64(const std::string& literal, std::uint32_t origin, bool utf16) {
    auto bytes = decode_base64(literal);
    if (!bytes)
      return;
    std::string text = utf16 || looks_like_utf16le(*bytes) ? utf16le_to_utf8(*bytes) : *bytes;
    out_.embedded.push_back(EmbeddedScript{Language::powershell, std::move(text), origin});
  }

  void embed_arguments_as_code(const PsStatement& statement, std::size_t start) {
    for (std::size_t k = start + 1; k < statement.size(); ++k) {
      if (statement[k].kind == Kind::string || statement[k].kind == Kind::variable) {
        out_.embedded.push_back(
            EmbeddedScript{Language::powershell, resolve(statement[k]), statement[k].origin});
      }
    }
  }

  // `$name = "text"` (or a word, or a joined concatenation) defines what $name means later.
  static bool is_assignment(const PsStatement& statement) noexcept {
    return statement.size() == 3 && statement[0].kind == Kind::variable &&
           is_punctuation(statement[1], "=") && statement[2].kind != Kind::punctuation;
  }

  // Set-Alias -Name run -Value Invoke-Expression (or positionally: Set-Alias run iex).
  void record_alias(const PsStatement& statement, const std::string& name) {
    if (name != "set-alias" && name != "new-alias" && name != "sal" && name != "nal")
      return;
    std::vector<std::string> positional;
    std::string alias;
    std::string target;
    for (std::size_t k = command_index(statement) + 1; k < statement.size(); ++k) {
      const std::string word = lower(resolve(statement[k]));
      if (word == "-name" && k + 1 < statement.size()) {
        alias = lower(resolve(statement[++k]));
      } else if (word == "-value" && k + 1 < statement.size()) {
        target = lower(resolve(statement[++k]));
      } else if (!word.starts_with('-')) {
        positional.push_back(word);
      }
    }
    for (const std::string& word : positional) {
      if (alias.empty()) {
        alias = word;
      } else if (target.empty()) {
        target = word;
      }
    }
    if (!alias.empty() && !target.empty())
      aliases_[alias] = target;
  }

  static bool needs_space(const PsToken& previous, const PsToken& token) noexcept {
    if (is_punctuation(previous, "([@") || is_punctuation(token, ")]([,"))
      return false;
    return !(token.kind == Kind::word &&
             (token.text.starts_with('.') || token.text.starts_with("::")));
  }

  NormalizedScript& out_;
  std::vector<PsStatement> simplified_;
  std::vector<const PsStatement*> pipeline_;  // the statements emit() writes out
  std::deque<std::string> folded_;            // see keep()
  Names variables_;
  std::unordered_map<std::string, std::string> aliases_;
};

}  // namespace

NormalizedScript normalize_powershell(std::string_view source) {
  NormalizedScript out;
  out.reserve(source.size() + 16);
  PowerShellEmitter emitter(out);
  lex_powershell(source, [&emitter](const PsPipeline& pipeline) { emitter.emit(pipeline); });
  return out;
}

}  // namespace opsgraph::safety::detail
