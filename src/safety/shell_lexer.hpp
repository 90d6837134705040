#pragma once
// Splits a bash (or Azure CLI list) script into pipelines of commands of words, the way the shell
// would see them before running anything: quotes removed and joined (`r''m`, `"r"m`), escapes and
// backslash-newlines undone, comments dropped, $'\x72' decoded, ${IFS} read as a space, and
// variables assigned a plain value earlier in the script substituted. Private to src/safety.

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/string_hash.hpp"
#include "safety/normalized_script.hpp"

namespace opsgraph::safety::detail {

/// A word of a line, valid while the line's callback runs: its text is a view of the source when it
/// needed no unquoting, else of the lexer's buffer for the line.
struct ShellWord {
  std::string_view text;
  /// Byte offset in the source where the word starts.
  std::uint32_t origin = 0;
  /// A redirection operator: > >> < <<< << 2> &> and friends.
  bool is_operator = false;
  /// The body of a here-document, attached to the command that reads it.
  bool is_heredoc = false;
  /// Its text is in the lexer's buffer (rebuilt), not in the source.
  bool in_buffer = false;
};

using ShellCommand = std::span<const ShellWord>;
/// Commands joined by `|`, in order.
using ShellPipeline = std::span<const ShellCommand>;
/// The pipelines of one physical line (`a | b; c && d` is two).
using ShellLine = std::span<const ShellPipeline>;

class ShellLexer {
 public:
  /// Command substitutions ($(...), `...`, <(...)) are code inside words: their text is pushed to
  /// `embedded` to be scanned on its own.
  ShellLexer(std::string_view source, std::vector<EmbeddedScript>& embedded);

  /// Calls `on_line` for each line's pipelines, in script order. The line's storage is reused for
  /// the next one: a scan allocates per line only while its buffers grow.
  void run(const std::function<void(const ShellLine&)>& on_line);

  /// The value of an assignment's right-hand side when it is knowable without running anything:
  /// plain text, or a command substitution that only prints a literal (printf '\x72\x6d',
  /// printf '%s' a b, echo ... | base64 -d, rev), with the variables known so far.
  std::optional<std::string> evaluate(std::string_view value) const;

 private:
  // Storage for one line, flat and reused: words view the source or buffer_ (track_buffer() moves
  // the views when buffer_ grows), commands are ranges of words and pipelines ranges of commands,
  // so that lexing a word copies nothing when the word needs no unquoting. publish_line() turns
  // them into the spans on_line sees.
  struct Range {
    std::size_t begin = 0;
    std::size_t end = 0;
  };
  struct PendingHeredoc {
    std::string delimiter;
    bool strip_tabs = false;
    std::size_t command = 0;  // index in commands_ of the command reading it
  };
  struct HeredocBody {
    ShellWord word;
    std::size_t command = 0;  // index in commands_
  };
  using Variables =
      std::unordered_map<std::string, std::string, opsgraph::detail::StringHash, std::equal_to<>>;

  bool at(std::string_view token) const noexcept {
    return source_.substr(i_, token.size()) == token;
  }
  std::string_view buffered_since(std::size_t begin) const noexcept {
    return {buffer_.data() + begin, buffer_.size() - begin};
  }
  void track_buffer() noexcept;
  std::uint32_t buffer_size() const noexcept { return static_cast<std::uint32_t>(buffer_.size()); }
  void skip_blanks();
  void read_operator();
  void read_word();
  void read_rebuilt_word(std::size_t start);
  void read_double_quoted(std::string& word);
  void read_ansi_c_quoted(std::string& word);
  void read_expansion(std::string& word);
  void read_substitution(std::string& word, std::size_t open_length, char close);
  std::size_t balanced_end(std::size_t from, char open, char close) const noexcept;
  void read_heredoc_bodies();
  void finish_command();
  void finish_pipeline();
  void finish_line(const std::function<void(const ShellLine&)>& on_line);
  void publish_line(const std::function<void(const ShellLine&)>& on_line);
  void record_assignments(std::span<const ShellWord> command);
  void read_array(std::string name, bool append);

  std::string_view source_;
  std::size_t i_ = 0;
  std::vector<EmbeddedScript>& embedded_;
  Variables variables_;
  // The line being lexed.
  std::string buffer_;
  const char* buffer_data_ = nullptr;  // where the words' views into buffer_ point
  std::vector<ShellWord> words_;
  std::vector<Range> commands_;   // of words_
  std::vector<Range> pipelines_;  // of commands_
  std::size_t command_begin_ = 0;
  std::size_t pipeline_begin_ = 0;
  std::vector<PendingHeredoc> heredocs_;
  std::vector<HeredocBody> bodies_;
  // What on_line sees of it.
  std::vector<ShellWord> line_words_;
  std::vector<ShellCommand> line_commands_;
  std::vector<ShellPipeline> line_pipelines_;
};

/// What `substitution` ("$(...)") prints when it only prints a literal; nullopt otherwise.
std::optional<std::string> literal_output(std::string_view substitution);

}  // namespace opsgraph::safety::detail
