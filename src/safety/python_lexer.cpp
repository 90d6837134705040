#include "safety/python_lexer.hpp"

#include <algorithm>
#include <array>

namespace opsgraph::safety::detail {
namespace {

// Letters, digits, '_', '.' and every byte of a multi-byte UTF-8 character: a table, because this
// is asked of nearly every byte of a script.
constexpr std::array<bool, 256> kNameChar = [] {
  std::array<bool, 256> table{};
  for (int c = 0; c < 256; ++c) {
    table[static_cast<std::size_t>(c)] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                                         (c >= '0' && c <= '9') || c == '_' || c == '.' ||
                                         c >= 0x80;
  }
  return table;
}();

bool is_name_char(char c) noexcept {
  return kNameChar[static_cast<unsigned char>(c)];
}

bool is_string_prefix(char c) noexcept {
  switch (c) {
    case 'r':
    case 'R':
    case 'b':
    case 'B':
    case 'f':
    case 'F':
    case 'u':
    case 'U':
      return true;
    default:
      return false;
  }
}

class PythonLexer {
 public:
  // A string's value never holds more bytes than its literal, so text_ never outgrows what is
  // reserved here and the views into it stay valid for the whole run.
  explicit PythonLexer(std::string_view source) : source_(source) { text_.reserve(source.size()); }

  void run(const std::function<void(const PyLine&)>& on_line) {
    while (i_ < source_.size()) {
      const char c = source_[i_];
      if (c == ' ' || c == '\t' || c == '\r' || c == '\f') {
        ++i_;
      } else if (c == '\\' && i_ + 1 < source_.size() && source_[i_ + 1] == '\n') {
        i_ += 2;
      } else if (c == '#') {
        i_ = std::min(source_.find('\n', i_), source_.size());
      } else if (c == '\n' || c == ';') {
        ++i_;
        if (depth_ == 0 || c == ';')
          flush(on_line);
      } else if (starts_string()) {
        read_string();
      } else if (is_name_char(c)) {
        const std::size_t start = i_;
        while (i_ < source_.size() && is_name_char(source_[i_]))
          ++i_;
        add(PyToken::Kind::name, source_.substr(start, i_ - start), start);
      } else {
        depth_ += (c == '(' || c == '[' || c == '{') ? 1 : 0;
        depth_ -= (depth_ > 0 && (c == ')' || c == ']' || c == '}')) ? 1 : 0;
        push_other(c);
        ++i_;
      }
    }
    flush(on_line);
  }

 private:
  // A quote, or a string prefix (r, b, f, u and pairs of them) right before one.
  bool starts_string() const noexcept {
    std::size_t k = i_;
    while (k < source_.size() && k < i_ + 2 && is_string_prefix(source_[k]))
      ++k;
    if (k < source_.size() && (source_[k] == '"' || source_[k] == '\'')) {
      return k == i_ || !(i_ > 0 && is_name_char(source_[i_ - 1]));
    }
    return false;
  }

  void read_string() {
    const std::size_t start = i_;
    bool raw = false;
    while (source_[i_] != '"' && source_[i_] != '\'') {
      raw = raw || source_[i_] == 'r' || source_[i_] == 'R';
      ++i_;
    }
    const char quote = source_[i_];
    const bool triple = is_triple(quote);
    const std::size_t quote_length = triple ? 3 : 1;
    i_ += quote_length;
    const std::size_t begin = text_.size();
    std::string& value = text_;
    while (i_ < source_.size()) {
      const char c = source_[i_];
      if (c == quote && (!triple || is_triple(quote))) {
        i_ += quote_length;
        break;
      }
      if (c == '\n' && !triple)
        break;  // unterminated: the parser reports it; the scan goes on
      if (c == '\\' && i_ + 1 < source_.size()) {
        append_escape(value, raw);
        continue;
      }
      value.push_back(c);
      ++i_;
    }
    push_string(begin, start);
  }

  bool is_triple(char quote) const noexcept {
    return i_ + 2 < source_.size() && source_[i_] == quote && source_[i_ + 1] == quote &&
           source_[i_ + 2] == quote;
  }

  void append_escape(std::string& value, bool raw) {
    const char e = source_[i_ + 1];
    if (raw) {
      value.push_back('\\');
      value.push_back(e);
      i_ += 2;
      return;
    }
    i_ += 2;
    const auto hex = [&](std::size_t k) {
      const char h = k < source_.size() ? source_[k] : 'g';
      return h >= '0' && h <= '9'   ? h - '0'
             : h >= 'a' && h <= 'f' ? h - 'a' + 10
             : h >= 'A' && h <= 'F' ? h - 'A' + 10
                                    : -1;
    };
    if (e == 'x' && hex(i_) >= 0 && hex(i_ + 1) >= 0) {
      value.push_back(static_cast<char>(hex(i_) * 16 + hex(i_ + 1)));
      i_ += 2;
    } else if (e == 'n' || e == 't') {
      value.push_back(e == 'n' ? '\n' : '\t');
    } else if (e != '\n') {
      value.push_back(e);
    }
  }

  // Adjacent literals and literal + literal are one string, as Python evaluates them. Values are
  // all rebuilt in text_ and nothing else is written there between two literals, so the joined
  // value is the two views' bytes side by side.
  void push_string(std::size_t begin, std::size_t origin) {
    const std::string_view value = std::string_view(text_).substr(begin);
    const std::size_t n = line_.size();
    const auto joins = [&](const PyToken& before) {
      return before.kind == PyToken::Kind::string &&
             before.text.data() + before.text.size() == value.data();
    };
    if (n >= 1 && joins(line_[n - 1])) {
      extend(line_[n - 1], value);
      return;
    }
    if (n >= 2 && line_[n - 1].text == "+" && joins(line_[n - 2])) {
      line_.pop_back();
      extend(line_.back(), value);
      return;
    }
    add(PyToken::Kind::string, value, origin);
  }

  static void extend(PyToken& token, std::string_view value) noexcept {
    token.text = std::string_view(token.text.data(), token.text.size() + value.size());
  }

  void push_other(char c) {
    (void)c;
    add(PyToken::Kind::other, source_.substr(i_, 1), i_);
  }

  void add(PyToken::Kind kind, std::string_view text, std::size_t origin) {
    line_.push_back(PyToken{kind, text, static_cast<std::uint32_t>(origin)});
  }

  void flush(const std::function<void(const PyLine&)>& on_line) {
    if (!line_.empty())
      on_line(line_);
    line_.clear();
  }

  std::string_view source_;
  std::size_t i_ = 0;
  int depth_ = 0;
  std::string text_;  // string values; reserved once, never reallocated
  PyLine line_;
};

}  // namespace

void lex_python(std::string_view source, const std::function<void(const PyLine&)>& on_line) {
  PythonLexer(source).run(on_line);
}

}  // namespace opsgraph::safety::detail
