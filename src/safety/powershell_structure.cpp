#include "safety/powershell_structure.hpp"

#include <string>
#include <vector>

#include "safety/source_lines.hpp"

namespace opsgraph::safety::detail {
namespace {

// What is open at a point of the script: a bracket of code, a "..." string, or a $( ) inside one.
struct Open {
  char what;  // '(' '{' '[' '"' or '$' for a subexpression in a string
  std::size_t offset;
};

char closer_of(char open) noexcept {
  switch (open) {
    case '(':
    case '$':
      return ')';
    case '{':
      return '}';
    case '[':
      return ']';
    default:
      return '"';
  }
}

class StructureChecker {
 public:
  explicit StructureChecker(std::string_view script) : script_(script), lines_(script) {}

  SyntaxReport run() {
    while (i_ < script_.size() && report_.errors.empty()) {
      if (!stack_.empty() && stack_.back().what == '"') {
        step_in_string();
      } else {
        step_in_code();
      }
    }
    if (report_.errors.empty() && !stack_.empty()) {
      const Open& open = stack_.back();
      error(open.offset, open.what == '"'
                             ? "string is never closed"
                             : std::string("'") +
                                   (open.what == '$' ? "$(" : std::string(1, open.what)) +
                                   "' is never closed");
    }
    report_.ok = report_.errors.empty();
    return std::move(report_);
  }

 private:
  bool at(std::string_view token) const noexcept {
    return script_.substr(i_, token.size()) == token;
  }

  // A token starts here (where '#' opens a comment rather than sitting inside a word).
  bool at_token_start() const noexcept {
    if (i_ == 0)
      return true;
    const char p = script_[i_ - 1];
    return p == ' ' || p == '\t' || p == '\n' || p == '\r' || p == ';' || p == '(' || p == '{' ||
           p == '[' || p == '|' || p == ',' || p == '=';
  }

  void step_in_code() {
    const char c = script_[i_];
    if (c == '`') {
      i_ += 2;  // an escaped character, or a line continuation
    } else if (at("<#")) {
      skip_to("#>", "block comment '<#' is never closed");
    } else if (c == '#' && at_token_start()) {
      while (i_ < script_.size() && script_[i_] != '\n')
        ++i_;
    } else if (at("@\"") || at("@'")) {
      read_here_string();
    } else if (c == '\'') {
      read_single_quoted();
    } else if (c == '"') {
      stack_.push_back(Open{'"', i_++});
    } else if (c == '(' || c == '{' || c == '[') {
      stack_.push_back(Open{c, i_++});
    } else if (c == ')' || c == '}' || c == ']') {
      close(c);
    } else {
      ++i_;
    }
  }

  void step_in_string() {
    const char c = script_[i_];
    if (c == '`') {
      i_ += 2;
    } else if (at("\"\"")) {
      i_ += 2;
    } else if (c == '"') {
      stack_.pop_back();
      ++i_;
    } else if (at("$(")) {
      stack_.push_back(Open{'$', i_});
      i_ += 2;
    } else {
      ++i_;
    }
  }

  void close(char c) {
    if (stack_.empty()) {
      error(i_, std::string("unexpected '") + c + "'");
      return;
    }
    const Open open = stack_.back();
    if (closer_of(open.what) != c) {
      error(i_, std::string("'") + c + "' does not close the '" +
                    (open.what == '$' ? "$(" : std::string(1, open.what)) + "' opened at line " +
                    std::to_string(lines_.line_of(open.offset)));
      return;
    }
    stack_.pop_back();
    ++i_;
  }

  void read_single_quoted() {
    const std::size_t start = i_++;
    while (i_ < script_.size()) {
      if (at("''")) {
        i_ += 2;
      } else if (script_[i_] == '\'') {
        ++i_;
        return;
      } else {
        ++i_;
      }
    }
    error(start, "string is never closed");
  }

  // @" or @' must end its line; the body ends at "@ or '@ at the start of a line.
  void read_here_string() {
    const std::size_t start = i_;
    const char quote = script_[i_ + 1];
    std::size_t k = i_ + 2;
    while (k < script_.size() && (script_[k] == ' ' || script_[k] == '\t' || script_[k] == '\r'))
      ++k;
    if (k < script_.size() && script_[k] != '\n') {
      error(start, "a here-string header must be the last thing on its line");
      return;
    }
    const std::string closing = std::string("\n") + quote + "@";
    const std::size_t end = script_.find(closing, k);
    if (end == std::string_view::npos) {
      error(start, "here-string is never closed (its end must start a line)");
      return;
    }
    i_ = end + closing.size();
  }

  void skip_to(std::string_view end, std::string_view message) {
    const std::size_t found = script_.find(end, i_ + 2);
    if (found == std::string_view::npos) {
      error(i_, std::string(message));
      return;
    }
    i_ = found + end.size();
  }

  void error(std::size_t offset, std::string message) {
    report_.errors.push_back(
        SyntaxError{lines_.line_of(offset), lines_.column_of(offset), std::move(message)});
    i_ = script_.size();
  }

  std::string_view script_;
  SourceLines lines_;
  std::size_t i_ = 0;
  std::vector<Open> stack_;
  SyntaxReport report_{true, "structural", true, {}};
};

}  // namespace

SyntaxReport check_powershell_structure(std::string_view script) {
  return StructureChecker(script).run();
}

}  // namespace opsgraph::safety::detail
