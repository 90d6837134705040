#include "safety/shell_lexer.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "safety/shell_words.hpp"

namespace opsgraph::safety::detail {
namespace {

bool is_blank(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\r';
}

// Characters that end an unquoted word.
bool is_meta(char c) noexcept {
  return is_blank(c) || c == '\n' || c == ';' || c == '&' || c == '|' || c == '(' || c == ')' ||
         c == '<' || c == '>';
}

// Characters copied into a word as they are: everything but metacharacters and the ones that
// start quoting, escapes, expansions and substitutions.
constexpr std::array<bool, 256> kPlain = [] {
  std::array<bool, 256> table{};
  table.fill(true);
  for (unsigned char c : std::string_view(" \t\r\n;&|()<>\\'\"$`"))
    table[c] = false;
  return table;
}();

bool is_plain(char c) noexcept {
  return kPlain[static_cast<unsigned char>(c)];
}

// `NAME=` or `NAME+=` right before a '(': an array assignment.
bool is_array_assignment_start(std::string_view word) noexcept {
  const std::size_t name = assignment_name_length(word);
  return name > 0 && name + 1 == word.size();
}

}  // namespace

ShellLexer::ShellLexer(std::string_view source, std::vector<EmbeddedScript>& embedded)
    : source_(source), embedded_(embedded) {}

void ShellLexer::run(const std::function<void(const ShellLine&)>& on_line) {
  while (i_ < source_.size()) {
    skip_blanks();
    if (i_ >= source_.size())
      break;
    const char c = source_[i_];
    if (c == '#') {
      i_ = std::min(source_.find('\n', i_), source_.size());
    } else if (c == '\n') {
      ++i_;
      finish_line(on_line);
    } else if (is_plain(c)) {
      read_word();  // the common case, before the operators are tried one by one
    } else if (c == ';' || c == '(' || c == ')' || (c == '&' && !at("&>")) || at("||")) {
      // && and ;; are covered by the '&' and ';' cases.
      i_ += (at("&&") || at("||") || at(";;")) ? 2 : 1;
      finish_pipeline();
    } else if (c == '|') {
      i_ += at("|&") ? 2 : 1;
      finish_command();
    } else if ((c == '<' || c == '>') && i_ + 1 < source_.size() && source_[i_ + 1] == '(') {
      read_word();  // process substitution
    } else if (c == '<' || c == '>' || c == '&') {
      read_operator();
    } else {
      read_word();
    }
  }
  finish_line(on_line);
}

void ShellLexer::skip_blanks() {
  while (i_ < source_.size()) {
    if (is_blank(source_[i_])) {
      ++i_;
    } else if (source_[i_] == '\\' && at("\\\n")) {
      i_ += 2;
    } else {
      break;
    }
  }
}

void ShellLexer::read_operator() {
  static constexpr std::string_view kOperators[] = {"<<<", "<<-", "&>>", "<<", ">>", "<&",
                                                    ">&",  "<>",  ">|",  "&>", "<",  ">"};
  for (std::string_view op : kOperators) {
    if (!at(op))
      continue;
    words_.push_back(ShellWord{.text = source_.substr(i_, op.size()),
                               .origin = static_cast<std::uint32_t>(i_),
                               .is_operator = true});
    i_ += op.size();
    if (op == "<<" || op == "<<-") {
      skip_blanks();
      const std::size_t before = words_.size();
      read_word();
      if (words_.size() > before) {
        heredocs_.push_back(
            PendingHeredoc{std::string(words_.back().text), op == "<<-", commands_.size()});
        words_.pop_back();
      }
    }
    return;
  }
  ++i_;  // not reached: every '<', '>' and "&>" starts an operator above
}

// Most words are plain text up to a metacharacter: those are views of the source.
void ShellLexer::read_word() {
  const std::size_t start = i_;
  std::size_t plain_end = i_;
  while (plain_end < source_.size() && is_plain(source_[plain_end]))
    ++plain_end;
  const bool ends_here =
      plain_end == source_.size() || (is_meta(source_[plain_end]) && source_[plain_end] != '(');
  if (plain_end > start && ends_here) {
    words_.push_back(ShellWord{.text = source_.substr(start, plain_end - start),
                               .origin = static_cast<std::uint32_t>(start)});
    i_ = plain_end;
    return;
  }
  read_rebuilt_word(start);
}

// A word with quoting, escapes or expansions: its text is rebuilt in buffer_.
void ShellLexer::read_rebuilt_word(std::size_t start) {
  const std::uint32_t begin = buffer_size();
  const auto word = [&] { return std::string_view(buffer_).substr(begin); };
  // A process substitution opens a word with what is otherwise an operator character.
  if (i_ + 1 < source_.size() && (source_[i_] == '<' || source_[i_] == '>') &&
      source_[i_ + 1] == '(') {
    read_substitution(buffer_, 2, ')');
  }
  while (i_ < source_.size()) {
    // Most of a word is plain text: copy it in one step.
    std::size_t plain_end = i_;
    while (plain_end < source_.size() && is_plain(source_[plain_end]))
      ++plain_end;
    if (plain_end > i_) {
      buffer_.append(source_.substr(i_, plain_end - i_));
      i_ = plain_end;
      continue;
    }
    const char c = source_[i_];
    if (c == '(' && words_.size() == command_begin_ && is_array_assignment_start(word())) {
      const std::string_view text = word();
      const bool append = text.size() > 1 && text[text.size() - 2] == '+';
      read_array(std::string(text.substr(0, text.size() - (append ? 2 : 1))), append);
      buffer_ += "(...)";
      continue;
    }
    if (is_meta(c))
      break;
    if (c == '\\') {
      if (i_ + 1 < source_.size() && source_[i_ + 1] != '\n')
        buffer_.push_back(source_[i_ + 1]);
      i_ += 2;
    } else if (c == '\'') {
      const std::size_t end = source_.find('\'', i_ + 1);
      const std::size_t stop = end == std::string_view::npos ? source_.size() : end;
      buffer_.append(source_.substr(i_ + 1, stop - i_ - 1));
      i_ = stop + 1;
    } else if (c == '"') {
      read_double_quoted(buffer_);
    } else if (c == '$' && i_ + 1 < source_.size() && source_[i_ + 1] == '\'') {
      read_ansi_c_quoted(buffer_);
    } else if (c == '$') {
      read_expansion(buffer_);
    } else if (c == '`') {
      read_substitution(buffer_, 1, '`');
    } else {
      buffer_.push_back(c);
      ++i_;
    }
  }
  if (i_ > source_.size())
    i_ = source_.size();
  track_buffer();
  words_.push_back(ShellWord{.text = buffered_since(begin),
                             .origin = static_cast<std::uint32_t>(start),
                             .in_buffer = true});
}

void ShellLexer::read_double_quoted(std::string& word) {
  ++i_;
  while (i_ < source_.size() && source_[i_] != '"') {
    const char c = source_[i_];
    if (c == '\\' && i_ + 1 < source_.size()) {
      const char next = source_[i_ + 1];
      if (next == '\n') {
        // a line continuation inside quotes
      } else if (next == '$' || next == '`' || next == '"' || next == '\\') {
        word.push_back(next);
      } else {
        word.push_back('\\');
        word.push_back(next);
      }
      i_ += 2;
    } else if (c == '$') {
      read_expansion(word);
    } else if (c == '`') {
      read_substitution(word, 1, '`');
    } else {
      word.push_back(c);
      ++i_;
    }
  }
  ++i_;
}

void ShellLexer::read_ansi_c_quoted(std::string& word) {
  i_ += 2;
  while (i_ < source_.size() && source_[i_] != '\'') {
    if (source_[i_] != '\\' || i_ + 1 >= source_.size()) {
      word.push_back(source_[i_++]);
      continue;
    }
    const char e = source_[i_ + 1];
    i_ += 2;
    if (e == 'x') {
      int value = 0;
      for (int k = 0; k < 2 && i_ < source_.size() && hex_value(source_[i_]) >= 0; ++k)
        value = value * 16 + hex_value(source_[i_++]);
      word.push_back(static_cast<char>(value));
    } else if (e >= '0' && e <= '7') {
      int value = e - '0';
      for (int k = 0; k < 2 && i_ < source_.size() && source_[i_] >= '0' && source_[i_] <= '7'; ++k)
        value = value * 8 + (source_[i_++] - '0');
      word.push_back(static_cast<char>(value));
    } else if (e == 'n' || e == 't' || e == 'r') {
      word.push_back(e == 'n' ? '\n' : e == 't' ? '\t' : '\r');
    } else {
      word.push_back(e);
    }
  }
  ++i_;
}

// At a '$': a parameter, an arithmetic or a command substitution.
void ShellLexer::read_expansion(std::string& word) {
  const std::size_t start = i_;
  if (at("$((")) {
    const std::size_t end = balanced_end(i_ + 1, '(', ')');
    word.append(source_.substr(start, end - start));
    i_ = end;
    return;
  }
  if (at("$(")) {
    read_substitution(word, 2, ')');
    return;
  }
  if (at("${")) {
    const std::size_t end = balanced_end(i_ + 1, '{', '}');
    const std::string_view inner = source_.substr(i_ + 2, end > i_ + 3 ? end - i_ - 3 : 0);
    i_ = end;
    if (inner == "IFS") {
      word.push_back(' ');
    } else if (auto known = variables_.find(inner); known != variables_.end()) {
      word.append(known->second);
    } else {
      word.append(source_.substr(start, end - start));  // guards like ${VAR:?} stay visible
    }
    return;
  }
  std::size_t end = i_ + 1;
  while (end < source_.size() && is_name_char(source_[end]))
    ++end;
  const std::string_view name = source_.substr(i_ + 1, end - i_ - 1);
  i_ = end == i_ + 1 ? i_ + 1 : end;
  if (name == "IFS") {
    word.push_back(' ');
  } else if (auto known = variables_.find(name); known != variables_.end()) {
    word.append(known->second);
  } else {
    word.append(source_.substr(start, i_ - start));
  }
}

// $(...), `...` or <(...): the inner text stays in the word and is scanned as a script of its own.
void ShellLexer::read_substitution(std::string& word, std::size_t open_length, char close) {
  const std::size_t start = i_;
  std::size_t end = 0;
  if (close == '`') {
    end = source_.find('`', i_ + 1);
    end = end == std::string_view::npos ? source_.size() : end + 1;
  } else {
    end = balanced_end(i_ + open_length - 1, '(', ')');
  }
  const std::size_t inner_start = std::min(start + open_length, end);
  const std::size_t inner_end = end > inner_start && end <= source_.size() ? end - 1 : inner_start;
  std::string inner(source_.substr(inner_start, inner_end - inner_start));
  word.append(source_.substr(start, end - start));
  embedded_.push_back(
      EmbeddedScript{Language::bash, std::move(inner), static_cast<std::uint32_t>(start)});
  i_ = end;
}

// The index just past the `close` matching the `open` at `from`, skipping quoted text; the end of
// the source when it is never closed.
std::size_t ShellLexer::balanced_end(std::size_t from, char open, char close) const noexcept {
  int depth = 0;
  for (std::size_t k = from; k < source_.size(); ++k) {
    const char c = source_[k];
    if (c == '\\') {
      ++k;
    } else if (c == '\'' && open == '(') {
      const std::size_t end = source_.find('\'', k + 1);
      if (end == std::string_view::npos)
        return source_.size();
      k = end;
    } else if (c == open) {
      ++depth;
    } else if (c == close && --depth == 0) {
      return k + 1;
    }
  }
  return source_.size();
}

// At the start of the line after `<<WORD`: each pending body up to its delimiter line.
void ShellLexer::read_heredoc_bodies() {
  for (const PendingHeredoc& heredoc : heredocs_) {
    const std::size_t begin = buffer_.size();
    HeredocBody body{ShellWord{.text = {},
                               .origin = static_cast<std::uint32_t>(i_),
                               .is_operator = false,
                               .is_heredoc = true,
                               .in_buffer = true},
                     heredoc.command};
    while (i_ < source_.size()) {
      std::size_t end = source_.find('\n', i_);
      if (end == std::string_view::npos)
        end = source_.size();
      std::string_view line = source_.substr(i_, end - i_);
      i_ = std::min(end + 1, source_.size());
      if (heredoc.strip_tabs)
        line.remove_prefix(std::min(line.find_first_not_of('\t'), line.size()));
      if (line == heredoc.delimiter)
        break;
      buffer_.append(line);
      buffer_.push_back('\n');
    }
    track_buffer();
    body.word.text = buffered_since(begin);
    bodies_.push_back(body);
  }
  heredocs_.clear();
}

void ShellLexer::finish_command() {
  if (words_.size() == command_begin_)
    return;
  record_assignments(std::span<const ShellWord>(words_).subspan(command_begin_));
  commands_.push_back(Range{command_begin_, words_.size()});
  command_begin_ = words_.size();
}

void ShellLexer::finish_pipeline() {
  finish_command();
  if (commands_.size() > pipeline_begin_)
    pipelines_.push_back(Range{pipeline_begin_, commands_.size()});
  pipeline_begin_ = commands_.size();
}

void ShellLexer::finish_line(const std::function<void(const ShellLine&)>& on_line) {
  if (!heredocs_.empty())
    read_heredoc_bodies();
  finish_pipeline();
  if (!pipelines_.empty())
    publish_line(on_line);
  buffer_.clear();
  words_.clear();
  commands_.clear();
  pipelines_.clear();
  bodies_.clear();
  command_begin_ = 0;
  pipeline_begin_ = 0;
}

// A word written to buffer_ may have moved it: the views of the words before it follow.
void ShellLexer::track_buffer() noexcept {
  const char* data = buffer_.data();
  if (data == buffer_data_)
    return;
  const auto moved = reinterpret_cast<std::uintptr_t>(data);
  const auto was = reinterpret_cast<std::uintptr_t>(buffer_data_);
  const auto follow = [&](ShellWord& word) {
    if (word.in_buffer) {
      const std::uintptr_t offset = reinterpret_cast<std::uintptr_t>(word.text.data()) - was;
      word.text = std::string_view(reinterpret_cast<const char*>(moved + offset), word.text.size());
    }
  };
  for (ShellWord& word : words_)
    follow(word);
  for (HeredocBody& body : bodies_)
    follow(body.word);
  buffer_data_ = data;
}

// Each command's words, then the here-document bodies it reads, as the spans on_line sees: the
// words themselves when no body is attached (most lines), else copies with the bodies in place.
// The vectors are sized before any span into them is taken.
void ShellLexer::publish_line(const std::function<void(const ShellLine&)>& on_line) {
  line_commands_.clear();
  line_commands_.reserve(commands_.size());
  line_pipelines_.clear();
  if (bodies_.empty()) {
    for (const Range& command : commands_)
      line_commands_.push_back(
          ShellCommand(words_.data() + command.begin, command.end - command.begin));
  } else {
    line_words_.clear();
    line_words_.reserve(words_.size() + bodies_.size());
    for (std::size_t c = 0; c < commands_.size(); ++c) {
      const std::size_t first = line_words_.size();
      for (std::size_t w = commands_[c].begin; w < commands_[c].end; ++w)
        line_words_.push_back(words_[w]);
      for (const HeredocBody& body : bodies_) {
        if (body.command == c)
          line_words_.push_back(body.word);
      }
      line_commands_.push_back(
          ShellCommand(line_words_.data() + first, line_words_.size() - first));
    }
  }
  for (const Range& pipeline : pipelines_) {
    line_pipelines_.push_back(
        ShellPipeline(line_commands_.data() + pipeline.begin, pipeline.end - pipeline.begin));
  }
  on_line(ShellLine(line_pipelines_));
}

}  // namespace opsgraph::safety::detail
