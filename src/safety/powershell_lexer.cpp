#include "safety/powershell_lexer.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>
#include <utility>

namespace opsgraph::safety::detail {
namespace {

bool is_blank(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\r' || c == '\f';
}

// A table, because this is asked of nearly every byte of a script.
constexpr std::array<bool, 256> kEndsWord = [] {
  std::array<bool, 256> table{};
  for (unsigned char c : std::string_view(" \t\r\f\n;|{}()[],=+\"'&"))
    table[c] = true;
  return table;
}();

bool ends_word(char c) noexcept {
  return kEndsWord[static_cast<unsigned char>(c)];
}

// Letters, digits and '-' start a word whatever follows them (cmdlets, parameters, numbers).
bool starts_plain_word(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}

bool is_variable_char(char c) noexcept {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == ':' || c == '?';
}

char lower(char c) noexcept {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

char backtick_escape(char c) noexcept {
  switch (c) {
    case 'n':
      return '\n';
    case 't':
      return '\t';
    case 'r':
      return '\r';
    case '0':
      return ' ';
    default:
      return c;
  }
}

class PowerShellLexer {
 public:
  // Every byte written to text_ consumes at least one byte of the source, so text_ never outgrows
  // what is reserved here and the views into it stay valid for the whole run.
  PowerShellLexer(std::string_view source, const std::function<void(const PsPipeline&)>& sink)
      : source_(source), sink_(sink) {
    text_.reserve(source.size());
  }

  void run() {
    while (i_ < source_.size()) {
      const char c = source_[i_];
      if (is_blank(c)) {
        ++i_;
      } else if (starts_plain_word(c)) {
        read_word();  // the common case, before the special starts are tried one by one
      } else if (c == '`' && (at("`\n") || at("`\r\n"))) {
        i_ += at("`\n") ? 2 : 3;
      } else if (at("<#")) {
        const std::size_t end = source_.find("#>", i_ + 2);
        i_ = end == std::string_view::npos ? source_.size() : end + 2;
      } else if (c == '#') {
        i_ = std::min(source_.find('\n', i_), source_.size());
      } else if (c == '\n' || c == ';' || c == '{' || c == '}' || at("&&") || at("||")) {
        i_ += (at("&&") || at("||")) ? 2 : 1;
        if (c == '\n' && depth_ > 0)
          continue;  // a newline inside ( ) or [ ] continues the statement
        finish_pipeline();
      } else if (c == '|') {
        ++i_;
        finish_statement();
      } else if (at("@\"") || at("@'")) {
        read_here_string();
      } else if (c == '\'') {
        read_single_quoted();
      } else if (c == '"') {
        read_double_quoted();
      } else if (c == '$' && i_ + 1 < source_.size() &&
                 (is_variable_char(source_[i_ + 1]) || source_[i_ + 1] == '{')) {
        read_variable();
      } else if (ends_word(c) || c == '@') {
        if (c == '(' || c == '[')
          ++depth_;
        if ((c == ')' || c == ']') && depth_ > 0)
          --depth_;
        add(PsToken::Kind::punctuation, source_.substr(i_, 1), i_);
        ++i_;
      } else {
        read_word();
      }
    }
    finish_pipeline();
  }

 private:
  bool at(std::string_view token) const noexcept {
    return source_.substr(i_, token.size()) == token;
  }

  void add(PsToken::Kind kind, std::string_view text, std::size_t origin, bool expandable = false) {
    statement_.push_back(PsToken{kind, text, static_cast<std::uint32_t>(origin), expandable});
  }

  // The text written to text_ since `begin`.
  std::string_view written_since(std::size_t begin) const noexcept {
    return std::string_view(text_).substr(begin);
  }

  // A string right after `+` and a string is joined to it: "Invoke-" + 'Expression'. Strings are
  // all rebuilt in text_ and nothing else is written there between the two, so the joined text is
  // the two views' bytes side by side.
  void push_string(std::size_t begin, std::size_t origin, bool expandable) {
    const std::string_view text = written_since(begin);
    const std::size_t n = statement_.size();
    if (n >= 2 && statement_[n - 1].text == "+" &&
        statement_[n - 1].kind == PsToken::Kind::punctuation &&
        statement_[n - 2].kind == PsToken::Kind::string &&
        statement_[n - 2].text.data() + statement_[n - 2].text.size() == text.data()) {
      statement_.pop_back();
      PsToken& joined = statement_.back();
      joined.text = std::string_view(joined.text.data(), joined.text.size() + text.size());
      joined.expandable = joined.expandable || expandable;
      return;
    }
    add(PsToken::Kind::string, text, origin, expandable);
  }

  // Most words hold no tick: those are views of the source.
  void read_word() {
    const std::size_t start = i_;
    while (i_ < source_.size() && !ends_word(source_[i_]) && source_[i_] != '`')
      ++i_;
    if (i_ >= source_.size() || source_[i_] != '`') {
      if (i_ == start && i_ < source_.size())
        ++i_;  // not reached: run() hands over only bytes that start a word
      add(PsToken::Kind::word, source_.substr(start, i_ - start), start);
      return;
    }
    const std::size_t begin = text_.size();
    text_.append(source_.substr(start, i_ - start));
    while (i_ < source_.size() && !ends_word(source_[i_])) {
      if (source_[i_] == '`' && i_ + 1 < source_.size()) {
        if (source_[i_ + 1] != '\n')
          text_.push_back(source_[i_ + 1]);  // a tick inserted to break up a name
        i_ += 2;
      } else {
        std::size_t end = i_ + 1;  // the run of text up to the next tick, in one step
        while (end < source_.size() && !ends_word(source_[end]) && source_[end] != '`')
          ++end;
        text_.append(source_.substr(i_, end - i_));
        i_ = end;
      }
    }
    if (text_.size() == begin && i_ < source_.size()) {
      text_.push_back(source_[i_++]);  // a lone '`' at the end
    }
    add(PsToken::Kind::word, written_since(begin), start);
  }

  void read_single_quoted() {
    const std::size_t start = i_++;
    const std::size_t begin = text_.size();
    while (i_ < source_.size()) {
      if (source_[i_] == '\'') {
        if (i_ + 1 < source_.size() && source_[i_ + 1] == '\'') {
          text_.push_back('\'');
          i_ += 2;
          continue;
        }
        ++i_;
        break;
      }
      text_.push_back(source_[i_++]);
    }
    push_string(begin, start, /*expandable=*/false);
  }

  void read_double_quoted() {
    const std::size_t start = i_++;
    const std::size_t begin = text_.size();
    std::string& text = text_;
    while (i_ < source_.size()) {
      const char c = source_[i_];
      if (c == '`' && i_ + 1 < source_.size()) {
        text.push_back(backtick_escape(source_[i_ + 1]));
        i_ += 2;
      } else if (c == '"') {
        if (i_ + 1 < source_.size() && source_[i_ + 1] == '"') {
          text.push_back('"');
          i_ += 2;
          continue;
        }
        ++i_;
        break;
      } else {
        text.push_back(c);
        ++i_;
      }
    }
    push_string(begin, start, /*expandable=*/true);
  }

  // @"..."@ and @'...'@: the closing quote counts only at the start of a line.
  void read_here_string() {
    const std::size_t start = i_;
    const char quote = source_[i_ + 1];
    const std::string closing = std::string("\n") + quote + "@";
    std::size_t body = source_.find('\n', i_ + 2);
    body = body == std::string_view::npos ? source_.size() : body + 1;
    std::size_t end = source_.find(closing, body - 1);
    if (end == std::string_view::npos)
      end = source_.size();
    const std::size_t begin = text_.size();
    text_.append(source_.substr(body, end > body ? end - body : 0));
    push_string(begin, start, quote == '"');
    i_ = std::min(end + closing.size(), source_.size());
  }

  void read_variable() {
    const std::size_t start = i_++;
    const std::size_t begin = text_.size();
    if (source_[i_] == '{') {
      const std::size_t end = source_.find('}', i_);
      const std::size_t stop = end == std::string_view::npos ? source_.size() : end;
      for (std::size_t k = i_ + 1; k < stop; ++k)
        text_.push_back(lower(source_[k]));
      i_ = std::min(stop + 1, source_.size());
    } else {
      while (i_ < source_.size() && is_variable_char(source_[i_]))
        text_.push_back(lower(source_[i_++]));
    }
    add(PsToken::Kind::variable, written_since(begin), start);
  }

  // The finished statement trades places with a spare one of an earlier pipeline, so that the
  // vectors (and the tokens' strings) keep their capacity from one pipeline to the next.
  void finish_statement() {
    if (statement_.empty())
      return;
    if (statements_ == pipeline_.size())
      pipeline_.emplace_back();
    std::swap(pipeline_[statements_++], statement_);
    statement_.clear();
  }

  void finish_pipeline() {
    finish_statement();
    depth_ = 0;
    if (statements_ > 0)
      sink_(PsPipeline(pipeline_.data(), statements_));
    statements_ = 0;
  }

  std::string_view source_;
  const std::function<void(const PsPipeline&)>& sink_;
  std::size_t i_ = 0;
  int depth_ = 0;
  std::string text_;  // rebuilt token text; reserved once, never reallocated
  PsStatement statement_;
  std::vector<PsStatement> pipeline_;  // the first statements_ are the pipeline's
  std::size_t statements_ = 0;
};

}  // namespace

void lex_powershell(std::string_view source,
                    const std::function<void(const PsPipeline&)>& on_pipeline) {
  PowerShellLexer(source, on_pipeline).run();
}

}  // namespace opsgraph::safety::detail
