#pragma once
// Splits a bash (or Azure CLI list) script into pipelines of commands of words, the way the shell
// would see them before running anything: quotes removed and joined (`r''m`, `"r"m`), escapes and
// backslash-newlines undone, comments dropped, $'\x72' decoded, ${IFS} read as a space, and
// variables assigned a plain value earlier in the script substituted. Private to src/safety.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "safety/normalized_script.hpp"

namespace opsgraph::safety::detail {

struct ShellWord {
  std::string text;
  /// Byte offset in the source where the word starts.
  std::uint32_t origin = 0;
  /// A redirection operator: > >> < <<< << 2> &> and friends.
  bool is_operator = false;
  /// The body of a here-document, attached to the command that reads it.
  bool is_heredoc = false;
};

using ShellCommand = std::vector<ShellWord>;
/// Commands joined by `|`, in order.
using ShellPipeline = std::vector<ShellCommand>;
/// The pipelines of one physical line (`a | b; c && d` is two).
using ShellLine = std::vector<ShellPipeline>;

class ShellLexer {
 public:
  /// Command substitutions ($(...), `...`, <(...)) are code inside words: their text is pushed to
  /// `embedded` to be scanned on its own.
  ShellLexer(std::string_view source, std::vector<EmbeddedScript>& embedded);

  /// Calls `on_line` for each line's pipelines, in script order.
  void run(const std::function<void(const ShellLine&)>& on_line);

  /// The value of an assignment's right-hand side when it is knowable without running anything:
  /// plain text, or a command substitution that only prints a literal (printf '\x72\x6d',
  /// printf '%s' a b, echo ... | base64 -d, rev), with the variables known so far.
  std::optional<std::string> evaluate(std::string_view value) const;

 private:
  struct PendingHeredoc {
    std::string delimiter;
    bool strip_tabs = false;
    std::size_t pipeline = 0;  // index in line_
    std::size_t command = 0;
  };

  bool at(std::string_view token) const noexcept {
    return source_.substr(i_, token.size()) == token;
  }
  void skip_blanks();
  void read_operator();
  void read_word();
  void read_double_quoted(std::string& word);
  void read_ansi_c_quoted(std::string& word);
  void read_expansion(std::string& word);
  void read_substitution(std::string& word, std::size_t open_length, char close);
  std::size_t balanced_end(std::size_t from, char open, char close) const noexcept;
  void read_heredoc_bodies();
  void finish_command();
  void finish_pipeline();
  void finish_line(const std::function<void(const ShellLine&)>& on_line);
  void record_assignments(const ShellCommand& command);
  void read_array(std::string name, bool append);

  std::string_view source_;
  std::size_t i_ = 0;
  std::vector<EmbeddedScript>& embedded_;
  std::unordered_map<std::string, std::string> variables_;
  ShellLine line_;
  ShellPipeline pipeline_;
  ShellCommand command_;
  std::vector<PendingHeredoc> heredocs_;
};

/// What `substitution` ("$(...)") prints when it only prints a literal; nullopt otherwise.
std::optional<std::string> literal_output(std::string_view substitution);

}  // namespace opsgraph::safety::detail
