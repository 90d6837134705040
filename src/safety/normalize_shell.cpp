// The bash / Azure CLI normaliser: pipelines from the ShellLexer become one line per command, with
// data arguments (echo, printf) dropped unless they feed a shell, and code hidden in arguments
// (eval, bash -c, base64 payloads, here-documents read by a shell) handed over for its own scan.

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "safety/normalized_script.hpp"
#include "safety/shell_lexer.hpp"
#include "safety/text_decode.hpp"

namespace opsgraph::safety::detail {
namespace {

// Words that open a compound command; the command proper follows them.
bool is_leading_keyword(std::string_view word) noexcept {
  if (word.empty() || word.size() > 5)
    return false;  // most words, decided without a comparison
  return word == "if" || word == "then" || word == "else" || word == "elif" || word == "do" ||
         word == "while" || word == "until" || word == "!" || word == "{" || word == "time";
}

std::string_view base_name(std::string_view path) noexcept {
  const std::size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::optional<Language> named_interpreter(std::string_view name) noexcept {
  if (name == "sh" || name == "bash" || name == "dash" || name == "zsh" || name == "ksh" ||
      name == "ash" || name == "source" || name == ".")
    return Language::bash;
  if (name.starts_with("python"))
    return Language::python;
  if (name == "pwsh" || name == "powershell" || name == "powershell.exe")
    return Language::powershell;
  return std::nullopt;
}

// The language a command interprets its standard input or -c argument as, if it is an interpreter.
// Asked of every command: most are decided inline by their first byte, which starts every
// interpreter's name with one of these.
inline std::optional<Language> interpreter_language(std::string_view command) noexcept {
  const std::string_view name = base_name(command);
  switch (name.empty() ? '\0' : name[0]) {
    case 's':
    case 'b':
    case 'd':
    case 'z':
    case 'k':
    case 'a':
    case '.':
    case 'p':
      return named_interpreter(name);
    default:
      return std::nullopt;
  }
}

bool is_data_command(std::string_view name) noexcept {
  return name == "echo" || name == "printf";
}

// The index of the command word, past leading keywords.
std::size_t command_start(const ShellCommand& command) noexcept {
  std::size_t k = 0;
  while (k < command.size() && is_leading_keyword(command[k].text))
    ++k;
  return k;
}

bool is_base64_decode(const ShellCommand& command) noexcept {
  const std::size_t k = command_start(command);
  if (k >= command.size() || base_name(command[k].text) != "base64")
    return false;
  for (std::size_t a = k + 1; a < command.size(); ++a) {
    const std::string_view arg = command[a].text;
    if (arg == "-d" || arg == "--decode" || arg == "-D" || arg == "-di" || arg == "-id")
      return true;
  }
  return false;
}

// An interpreter reading its script from standard input: no script file among its arguments.
std::optional<Language> stdin_interpreter(const ShellCommand& command) noexcept {
  const std::size_t k = command_start(command);
  if (k >= command.size())
    return std::nullopt;
  std::size_t name = k;
  if (base_name(command[k].text) == "sudo" || base_name(command[k].text) == "env")
    name = k + 1;
  if (name >= command.size())
    return std::nullopt;
  const auto language = interpreter_language(command[name].text);
  if (!language)
    return std::nullopt;
  for (std::size_t a = name + 1; a < command.size(); ++a) {
    const std::string_view arg = command[a].text;
    if (!command[a].is_operator && !arg.empty() && arg[0] != '-' && arg != "/dev/stdin")
      return std::nullopt;
  }
  return language;
}

// Text a command carries as data, and the source offset where it starts.
struct Payload {
  std::string text;
  std::uint32_t origin = 0;
};

// The text an echo or printf writes: its arguments after the options.
Payload data_payload(const ShellCommand& command, std::size_t start) {
  Payload payload;
  bool first = true;
  for (std::size_t a = start + 1; a < command.size(); ++a) {
    const ShellWord& word = command[a];
    if (word.is_operator) {
      ++a;  // and its target
      continue;
    }
    if (first && word.text.size() >= 2 && word.text[0] == '-' && word.text.size() <= 3)
      continue;  // echo -e, -n, -ne
    if (first)
      payload.origin = word.origin;
    else
      payload.text.push_back(' ');
    payload.text.append(word.text);
    first = false;
  }
  return payload;
}

// `{wget,-qO-,http://x}` as a command is brace expansion: the words wget -qO- http://x.
bool is_brace_list(std::string_view word) noexcept {
  return word.size() >= 3 && word.front() == '{' && word.back() == '}' &&
         word.find(',') != std::string_view::npos;
}

// The words view the original command's text.
std::vector<ShellWord> expand_braces(const ShellCommand& command, std::size_t start) {
  std::vector<ShellWord> expanded(command.begin(),
                                  command.begin() + static_cast<std::ptrdiff_t>(start));
  std::string_view items = command[start].text;
  items = items.substr(1, items.size() - 2);
  while (true) {
    const std::size_t comma = items.find(',');
    expanded.push_back(ShellWord{items.substr(0, comma), command[start].origin});
    if (comma == std::string_view::npos)
      break;
    items.remove_prefix(comma + 1);
  }
  expanded.insert(expanded.end(), command.begin() + static_cast<std::ptrdiff_t>(start) + 1,
                  command.end());
  return expanded;
}

// Where a command writes with > or >>, if anywhere.
std::string_view redirect_target(const ShellCommand& command) noexcept {
  for (std::size_t a = 0; a + 1 < command.size(); ++a) {
    if (command[a].is_operator && (command[a].text == ">" || command[a].text == ">>"))
      return command[a + 1].text;
  }
  return {};
}

// A crontab format written to a system file carries a user field after the schedule.
enum class CronFormat { none, user, system };

CronFormat cron_format(std::string_view target) noexcept {
  if (target.starts_with("/etc/cron.d/") || target == "/etc/crontab")
    return CronFormat::system;
  if (target.starts_with("/var/spool/cron/"))
    return CronFormat::user;
  return CronFormat::none;
}

// The commands of crontab lines: schedules (and the user field of system files) removed.
std::string cron_commands(std::string_view table, CronFormat format) {
  std::string commands;
  while (!table.empty()) {
    const std::size_t end = table.find('\n');
    std::string_view line = table.substr(0, end);
    table = end == std::string_view::npos ? std::string_view() : table.substr(end + 1);
    line.remove_prefix(std::min(line.find_first_not_of(" \t"), line.size()));
    if (line.empty() || line[0] == '#')
      continue;
    const std::size_t fields = (line[0] == '@' ? 1 : 5) + (format == CronFormat::system ? 1 : 0);
    for (std::size_t f = 0; f < fields && !line.empty(); ++f) {
      line.remove_prefix(std::min(line.find_first_of(" \t"), line.size()));
      line.remove_prefix(std::min(line.find_first_not_of(" \t"), line.size()));
    }
    commands.append(line);
    commands.push_back('\n');
  }
  return commands;
}

bool feeds_crontab(const ShellLine& line) noexcept {
  for (const ShellPipeline& pipeline : line) {
    for (const ShellCommand& command : pipeline) {
      const std::size_t k = command_start(command);
      if (k + 1 < command.size() && base_name(command[k].text) == "crontab" &&
          command[k + 1].text == "-")
        return true;
    }
  }
  return false;
}

// A pipeline of one command word piped into itself: `w | w`.
bool is_self_pipe(const ShellPipeline& pipeline) noexcept {
  if (pipeline.size() < 2)
    return false;
  const std::string_view* name = nullptr;
  for (const ShellCommand& command : pipeline) {
    const std::size_t start = command_start(command);
    if (start + 1 != command.size() || (name != nullptr && command[start].text != *name))
      return false;
    name = &command[start].text;
  }
  return true;
}

// How a pipeline transforms what its first command prints before an interpreter reads it.
struct Transform {
  bool decode = false;
  bool reverse = false;
  std::optional<Language> sink;
  bool any() const noexcept { return decode || reverse || sink.has_value(); }
};

class ShellEmitter {
 public:
  explicit ShellEmitter(NormalizedScript& out) : out_(out) {}

  void emit(const ShellLine& line) {
    const bool to_crontab = feeds_crontab(line);
    for (const ShellPipeline& pipeline : line)
      emit(pipeline, to_crontab);
  }

 private:
  void emit(const ShellPipeline& pipeline, bool to_crontab) {
    if (is_self_pipe(pipeline)) {
      // `f | f` (the body of a fork bomb, whatever f is called) is written as the classic
      // `: | :`, so one rule recognises every name.
      out_.append(":\n| :", pipeline.front().front().origin);
      out_.end_command(pipeline.front().front().origin);
      return;
    }
    Transform transform;
    for (std::size_t k = 1; k < pipeline.size(); ++k) {
      transform.decode = transform.decode || is_base64_decode(pipeline[k]);
      const std::size_t start = command_start(pipeline[k]);
      transform.reverse = transform.reverse || (start < pipeline[k].size() &&
                                                base_name(pipeline[k][start].text) == "rev");
      if (auto language = stdin_interpreter(pipeline[k]))
        transform.sink = language;
    }
    for (std::size_t k = 0; k < pipeline.size(); ++k) {
      if (k > 0)
        out_.append("| ", pipeline[k].front().origin);
      emit_command(pipeline[k], k == 0 ? transform : Transform{}, to_crontab);
    }
  }

  void emit_command(const ShellCommand& original, const Transform& transform, bool to_crontab) {
    const std::size_t start = command_start(original);
    if (start >= original.size())
      return;
    std::vector<ShellWord> expanded;
    if (is_brace_list(original[start].text))
      expanded = expand_braces(original, start);
    const ShellCommand command = expanded.empty() ? original : ShellCommand(expanded);
    const std::string_view name = base_name(command[start].text);
    const CronFormat cron = to_crontab ? CronFormat::user : cron_format(redirect_target(command));
    if (is_data_command(name)) {
      if (transform.any()) {
        const Payload payload = data_payload(command, start);
        embed_transformed(payload.text, payload.origin, transform);
      }
      if (cron != CronFormat::none) {
        const Payload payload = data_payload(command, start);
        embed_cron(payload.text, payload.origin, cron);
      }
      emit_words(command, start, /*data=*/true, /*interpreter=*/false, cron);
    } else {
      const auto language = interpreter_language(name);
      embed_arguments(command, start, name, language);
      emit_words(command, start, name == "cat" || name == "tee", language.has_value(), cron);
    }
    out_.end_command(command.back().origin);
  }

  // Data commands keep only their name and redirections: `echo x > /etc/cron.d/job` still shows
  // where it writes. Here-documents are inlined for commands that read them as input (mysql),
  // scanned as crontabs when they become one, and dropped as text otherwise.
  void emit_words(const ShellCommand& command, std::size_t start, bool data, bool interpreter,
                  CronFormat cron) {
    bool first = true;
    for (std::size_t a = start; a < command.size(); ++a) {
      const ShellWord& word = command[a];
      if (word.is_heredoc) {
        if (cron != CronFormat::none)
          embed_cron(word.text, word.origin, cron);
        if (data || interpreter || cron != CronFormat::none)
          continue;
      }
      const bool redirection = word.is_operator || (a > start && command[a - 1].is_operator);
      if (data && a > start && !redirection)
        continue;
      out_.append_token(word.text, word.origin, /*space_before=*/!first);
      first = false;
    }
  }

  // Code in arguments: eval ARGS, sh -c STRING, pwsh -EncodedCommand B64, base64 -d <<< B64,
  // and a here-document read by an interpreter.
  void embed_arguments(const ShellCommand& command, std::size_t start, std::string_view name,
                       std::optional<Language> language) {
    if (name == "eval") {
      const Payload payload = data_payload(command, start);
      embed(payload.text, payload.origin, Language::bash);
      return;
    }
    if (name == "az") {
      embed_run_command(command, start);
      return;
    }
    if (!language && name != "base64")
      return;  // every case below is an interpreter's or base64's
    for (std::size_t a = start + 1; a < command.size(); ++a) {
      const ShellWord& word = command[a];
      const bool has_next = a + 1 < command.size();
      if (word.is_heredoc && language) {
        embed(word.text, word.origin, *language);
      } else if (word.is_operator && word.text == "<<<" && has_next && name == "base64") {
        embed_transformed(command[a + 1].text, command[a + 1].origin,
                          Transform{true, false, Language::bash});
      } else if (language && has_next && is_code_flag(word.text, *language)) {
        embed(command[a + 1].text, command[a + 1].origin, *language);
      } else if (language == Language::powershell && has_next && is_encoded_flag(word.text)) {
        if (auto bytes = decode_base64(command[a + 1].text)) {
          out_.embedded.push_back(
              EmbeddedScript{Language::powershell, utf16le_to_utf8(*bytes), command[a + 1].origin});
        }
      }
    }
  }

  static bool is_code_flag(std::string_view flag, Language language) noexcept {
    if (language == Language::powershell)
      return flag == "-c" || flag == "-Command" || flag == "-command";
    return flag == "-c" || flag == "-ic" || flag == "-lc" || flag == "-xc";
  }

  static bool is_encoded_flag(std::string_view flag) noexcept {
    return flag == "-e" || flag == "-ec" || flag == "-enc" || flag == "-EncodedCommand" ||
           flag == "-encodedcommand";
  }

  // eval "$(printf ...)" runs what the substitution prints: scan that when it is a literal.
  void embed(std::string_view payload, std::uint32_t origin, Language language) {
    if (payload.empty())
      return;
    auto printed = language == Language::bash ? literal_output(payload) : std::nullopt;
    out_.embedded.push_back(
        EmbeddedScript{language, printed.value_or(std::string(payload)), origin});
  }

  // az vm run-command invoke --command-id RunShellScript --scripts "..." runs the scripts on the
  // VM: they are code in the language the command id names.
  void embed_run_command(const ShellCommand& command, std::size_t start) {
    Language language = Language::bash;
    bool run_command = false;
    for (std::size_t a = start + 1; a < command.size(); ++a) {
      const std::string_view word = command[a].text;
      run_command = run_command || word == "run-command";
      if (word == "--command-id" && a + 1 < command.size() &&
          command[a + 1].text.find("PowerShell") != std::string_view::npos)
        language = Language::powershell;
    }
    if (!run_command)
      return;
    for (std::size_t a = start + 1; a + 1 < command.size(); ++a) {
      if (command[a].text != "--scripts")
        continue;
      for (std::size_t s = a + 1; s < command.size() && !command[s].text.starts_with("--"); ++s)
        embed(command[s].text, command[s].origin, language);
    }
  }

  // Decoded base64 is scanned even when nothing visible runs it: it is rarely data worth hiding.
  void embed_transformed(std::string_view payload, std::uint32_t origin,
                         const Transform& transform) {
    std::string text(payload);
    if (transform.reverse)
      std::reverse(text.begin(), text.end());
    if (transform.decode) {
      auto decoded = decode_base64(text);
      if (!decoded)
        return;
      text = std::move(*decoded);
    }
    if (!text.empty()) {
      out_.embedded.push_back(
          EmbeddedScript{transform.sink.value_or(Language::bash), std::move(text), origin});
    }
  }

  void embed_cron(std::string_view table, std::uint32_t origin, CronFormat format) {
    std::string commands = cron_commands(table, format);
    if (!commands.empty())
      out_.embedded.push_back(EmbeddedScript{Language::bash, std::move(commands), origin});
  }

  NormalizedScript& out_;
};

}  // namespace

NormalizedScript normalize_shell(std::string_view source) {
  NormalizedScript out;
  out.reserve(source.size() + 16);
  ShellEmitter emitter(out);
  ShellLexer lexer(source, out.embedded);
  lexer.run([&emitter](const ShellLine& line) { emitter.emit(line); });
  return out;
}

}  // namespace opsgraph::safety::detail
