// What the ShellLexer knows about variables: assignments (NAME=value, NAME+=value, arrays) and
// the values it can work out without running anything.

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "safety/shell_lexer.hpp"
#include "safety/shell_words.hpp"
#include "safety/text_decode.hpp"

namespace opsgraph::safety::detail {
namespace {

// printf's escapes in a format string: \xHH, \NNN, \n, \t, \\.
std::string printf_unescape(std::string_view format) {
  std::string out;
  for (std::size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '\\' || i + 1 >= format.size()) {
      out.push_back(format[i]);
      continue;
    }
    const char e = format[++i];
    if (e == 'x') {
      int value = 0;
      for (int k = 0; k < 2 && i + 1 < format.size() && hex_value(format[i + 1]) >= 0; ++k)
        value = value * 16 + hex_value(format[++i]);
      out.push_back(static_cast<char>(value));
    } else if (e >= '0' && e <= '7') {
      int value = e - '0';
      for (int k = 0;
           k < 2 && i + 1 < format.size() && format[i + 1] >= '0' && format[i + 1] <= '7'; ++k)
        value = value * 8 + (format[++i] - '0');
      out.push_back(static_cast<char>(value));
    } else {
      out.push_back(e == 'n' ? '\n' : e == 't' ? '\t' : e);
    }
  }
  return out;
}

// A value that is its own text: no command substitution to evaluate.
bool is_plain_value(std::string_view value) noexcept {
  return !value.starts_with("$(") && !value.starts_with('`');
}

bool is_declaration(std::string_view word) noexcept {
  return word == "export" || word == "local" || word == "declare" || word == "readonly" ||
         word == "typeset";
}

std::string join(const std::vector<std::string>& words) {
  std::string text;
  for (const std::string& word : words)
    text += (text.empty() ? "" : " ") + word;
  return text;
}

// What printf FORMAT ARGS... prints, for formats made of text and %s: the format is reused while
// arguments remain, as printf does.
std::string printf_output(const std::vector<std::string>& args) {
  if (args.empty())
    return {};
  const std::string format = printf_unescape(args[0]);
  if (format.find("%s") == std::string::npos || args.size() == 1)
    return format;
  std::string out;
  std::size_t next = 1;
  while (next < args.size()) {
    std::size_t from = 0;
    for (std::size_t at; (at = format.find("%s", from)) != std::string::npos; from = at + 2) {
      out += format.substr(from, at - from);
      out += next < args.size() ? args[next++] : std::string();
    }
    out += format.substr(from);
  }
  return out;
}

}  // namespace

// NAME=value words before the command (or after export/local/...) define variables that later
// words see, so `c=rm; $c -rf /` reads as `rm -rf /`.
void ShellLexer::record_assignments(std::span<const ShellWord> command) {
  std::size_t k = 0;
  if (!command.empty() && is_declaration(command[0].text))
    k = 1;
  for (; k < command.size() && !command[k].is_operator; ++k) {
    const std::string_view text = command[k].text;
    const std::size_t name_length = assignment_name_length(text);
    if (name_length == 0)
      break;
    const bool append = text[name_length - 1] == '+';
    const std::string_view name = text.substr(0, append ? name_length - 1 : name_length);
    const std::string_view value = text.substr(name_length + 1);
    if (value.ends_with("(...)"))
      continue;  // an array, recorded element by element by read_array
    if (!append && is_plain_value(value)) {
      // The common NAME=text, stored in place: a script that sets a variable on every pass of a
      // loop reuses the value's storage.
      if (auto known = variables_.find(name); known != variables_.end())
        known->second.assign(value);
      else
        variables_.emplace(std::string(name), std::string(value));
      continue;
    }
    auto known = evaluate(value);
    if (!known) {
      // What it holds is only known when the script runs.
      if (auto stale = variables_.find(name); stale != variables_.end())
        variables_.erase(stale);
    } else if (append) {
      variables_[std::string(name)] += *known;
    } else {
      variables_.insert_or_assign(std::string(name), std::move(*known));
    }
  }
}

// NAME=(a b c): elements become ${NAME[0]}, ${NAME[1]}, ... and $NAME is the first.
void ShellLexer::read_array(std::string name, bool append) {
  const std::size_t end = balanced_end(i_, '(', ')');
  std::vector<EmbeddedScript> ignored;
  ShellLexer elements(source_.substr(i_ + 1, end > i_ + 1 ? end - i_ - 2 : 0), ignored);
  elements.variables_ = variables_;
  std::size_t index = 0;
  if (append) {
    while (variables_.count(name + "[" + std::to_string(index) + "]") != 0)
      ++index;
  }
  elements.run([&](const ShellLine& line) {
    for (const ShellPipeline& pipeline : line) {
      for (const ShellCommand& command : pipeline) {
        for (const ShellWord& word : command) {
          if (index == 0)
            variables_[name] = std::string(word.text);
          variables_[name + "[" + std::to_string(index++) + "]"] = std::string(word.text);
        }
      }
    }
  });
  i_ = end;
}

std::optional<std::string> ShellLexer::evaluate(std::string_view value) const {
  if (is_plain_value(value))
    return std::string(value);
  if (!value.starts_with("$(") || !value.ends_with(')'))
    return std::nullopt;
  std::vector<EmbeddedScript> ignored;
  ShellLexer inner(value.substr(2, value.size() - 3), ignored);
  inner.variables_ = variables_;
  std::optional<std::string> result;
  bool simple = true;
  inner.run([&](const ShellLine& line) {
    if (result || line.size() != 1) {
      simple = false;
      return;
    }
    const ShellPipeline& pipeline = line.front();
    const ShellCommand& first = pipeline.front();
    if (first.empty() || (first[0].text != "printf" && first[0].text != "echo")) {
      simple = false;
      return;
    }
    std::vector<std::string> args;
    for (std::size_t k = 1; k < first.size(); ++k) {
      if (first[0].text == "echo" && k == 1 && first[k].text.starts_with('-'))
        continue;
      args.push_back(std::string(first[k].text));
    }
    std::string text = first[0].text == "printf" ? printf_output(args) : join(args);
    for (std::size_t c = 1; c < pipeline.size() && simple; ++c) {
      const ShellCommand& filter = pipeline[c];
      const std::string_view name = filter.empty() ? std::string_view() : filter[0].text;
      if (name == "rev") {
        std::reverse(text.begin(), text.end());
      } else if (name == "base64" && filter.size() > 1 &&
                 (filter[1].text == "-d" || filter[1].text == "--decode" ||
                  filter[1].text == "-D")) {
        auto decoded = decode_base64(text);
        simple = decoded.has_value();
        text = decoded.value_or(std::string());
      } else {
        simple = false;
      }
    }
    result = std::move(text);
  });
  if (!simple)
    return std::nullopt;
  return result;
}

std::optional<std::string> literal_output(std::string_view substitution) {
  if (!substitution.starts_with("$("))
    return std::nullopt;
  std::vector<EmbeddedScript> ignored;
  const ShellLexer lexer({}, ignored);
  return lexer.evaluate(substitution);
}

}  // namespace opsgraph::safety::detail
