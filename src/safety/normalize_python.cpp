// The Python normaliser: one logical line per line (comments dropped, bracketed and backslash
// continuations joined), string literals unquoted and re-quoted with '"' after joining adjacent or
// `+`-joined literals, names bound to a string literal replaced by it, print/logging arguments
// dropped as data, and code in strings (os.system, subprocess, exec, eval, base64 payloads) handed
// over for a scan of its own.

#include <algorithm>
#include <charconv>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/string_hash.hpp"
#include "safety/normalized_script.hpp"
#include "safety/python_lexer.hpp"
#include "safety/text_decode.hpp"

namespace opsgraph::safety::detail {
namespace {

bool ends_with_call(std::string_view name, std::string_view function) noexcept {
  return name == function || (name.size() > function.size() && name.ends_with(function) &&
                              name[name.size() - function.size() - 1] == '.');
}

bool is_data_call(std::string_view name) noexcept {
  return name == "print" || name.starts_with("logging.") || name.starts_with("logger.") ||
         name.starts_with("log.");
}

bool is_shell_call(std::string_view name) noexcept {
  return ends_with_call(name, "system") || ends_with_call(name, "popen") ||
         name.starts_with("subprocess.") || ends_with_call(name, "getoutput") ||
         ends_with_call(name, "getstatusoutput") || ends_with_call(name, "spawn");
}

class PythonEmitter {
 public:
  explicit PythonEmitter(NormalizedScript& out) : out_(out) {}

  void emit(const PyLine& line) {
    decoded_language_ = Language::python;
    const bool assignment = is_assignment(line);
    for (std::size_t k = 0; k < line.size(); ++k) {
      const PyToken& token = line[k];
      if (token.text == "[")
        embed_argv_list(line, k);
      const bool call = k + 1 < line.size() && line[k + 1].text == "(";
      if (k > 0 && needs_space(line[k - 1], token))
        out_.append(' ', token.origin);
      if (token.kind == PyToken::Kind::string) {
        out_.append('"', token.origin);
        out_.append_token(token.text, token.origin);
        out_.append('"', token.origin);
        continue;
      }
      if (k == 0 && assignment)
        out_.append_token(token.text, token.origin);
      else
        append_resolved(token);
      if (call && token.kind == PyToken::Kind::name)
        k = emit_call(line, k);
    }
    out_.end_command(line.back().origin);
    if (assignment)
      variables_.insert_or_assign(std::string(line[0].text), std::string(line[2].text));
    record_computed_names(line);
  }

 private:
  // A name bound to a string literal reads as that literal, quoted.
  void append_resolved(const PyToken& token) {
    if (token.kind == PyToken::Kind::name && !variables_.empty()) {
      if (auto known = variables_.find(token.text); known != variables_.end()) {
        out_.append('"', token.origin);
        out_.append_token(known->second, token.origin);
        out_.append('"', token.origin);
        return;
      }
    }
    out_.append_token(token.text, token.origin);
  }

  // At `name(`: embeds code carried by the arguments; returns the index of the last token
  // consumed (the closing parenthesis for data calls, whose arguments are dropped).
  std::size_t emit_call(const PyLine& line, std::size_t k) {
    const std::string_view name = line[k].text;
    const std::size_t close = matching_paren(line, k + 1);
    if (is_data_call(name)) {
      out_.append("()", line[k].origin);
      return close;
    }
    const bool runs_shell =
        is_shell_call(name) || (!shell_functions_.empty() && shell_functions_.count(name) != 0);
    const bool runs_python = ends_with_call(name, "exec") || ends_with_call(name, "eval");
    if (ends_with_call(name, "b64decode") && k + 2 < line.size()) {
      if (auto decoded = decode_base64(string_value(line[k + 2])))
        out_.embedded.push_back(
            EmbeddedScript{decoded_language_, std::move(*decoded), line[k + 2].origin});
    }
    if (ends_with_call(name, "decode") && k + 2 < line.size() &&
        is_rot13_call(line, k + 2, close)) {
      std::string text = string_value(line[k + 2]);
      for (char& c : text) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
          const char base = c >= 'a' ? 'a' : 'A';
          c = static_cast<char>(base + (c - base + 13) % 26);
        }
      }
      out_.embedded.push_back(
          EmbeddedScript{decoded_language_, std::move(text), line[k + 2].origin});
    }
    if (runs_shell || runs_python) {
      decoded_language_ = runs_shell ? Language::bash : Language::python;
      embed_arguments(line, k + 2, close, decoded_language_);
    }
    return k;
  }

  // codecs.decode(text, "rot13")
  static bool is_rot13_call(const PyLine& line, std::size_t from, std::size_t to) noexcept {
    for (std::size_t a = from; a < to && a < line.size(); ++a) {
      if (line[a].kind == PyToken::Kind::string &&
          (line[a].text == "rot13" || line[a].text == "rot_13"))
        return true;
    }
    return false;
  }

  // `fn = getattr(os, "system")` makes fn a shell call; `codes = [110, 99, ...]` holds the text
  // those character codes spell, which `"".join(map(chr, codes))` turns it into.
  void record_computed_names(const PyLine& line) {
    if (line.size() < 4 || line[0].kind != PyToken::Kind::name || line[1].text != "=")
      return;
    if (ends_with_call(line[2].text, "getattr")) {
      for (const PyToken& token : line) {
        if (token.kind == PyToken::Kind::string && is_shell_call(token.text))
          shell_functions_.insert(std::string(line[0].text));
      }
      return;
    }
    if (line[2].text != "[" || line.back().text != "]")
      return;
    std::string text;
    for (std::size_t k = 3; k + 1 < line.size(); ++k) {
      if (line[k].text == ",")
        continue;
      unsigned value = 0;
      const std::string_view digits = line[k].text;
      const auto parsed = std::from_chars(digits.data(), digits.data() + digits.size(), value);
      if (parsed.ec != std::errc() || parsed.ptr != digits.data() + digits.size() || value == 0 ||
          value > 0x7F)
        return;
      text.push_back(static_cast<char>(value));
    }
    variables_.insert_or_assign(std::string(line[0].text), std::move(text));
  }

  // A string argument is a script; a list of strings is an argv, read as one command line.
  void embed_arguments(const PyLine& line, std::size_t from, std::size_t to, Language language) {
    std::string argv;
    std::uint32_t origin = from < line.size() ? line[from].origin : 0;
    for (std::size_t a = from; a < to && a < line.size(); ++a) {
      const PyToken& token = line[a];
      const bool value = token.kind == PyToken::Kind::string ||
                         (token.kind == PyToken::Kind::name && variables_.count(token.text) != 0);
      if (!value)
        continue;
      if (!argv.empty())
        argv.push_back(' ');
      argv += string_value(token);
    }
    if (!argv.empty())
      out_.embedded.push_back(EmbeddedScript{language, std::move(argv), origin});
  }

  std::string string_value(const PyToken& token) const {
    if (token.kind == PyToken::Kind::name) {
      if (auto known = variables_.find(token.text); known != variables_.end())
        return known->second;
    }
    return token.kind == PyToken::Kind::string ? std::string(token.text) : std::string();
  }

  static std::size_t matching_paren(const PyLine& line, std::size_t open) noexcept {
    int depth = 0;
    for (std::size_t k = open; k < line.size(); ++k) {
      if (line[k].kind != PyToken::Kind::other)
        continue;
      if (line[k].text == "(")
        ++depth;
      if (line[k].text == ")" && --depth == 0)
        return k;
    }
    return line.size() - 1;
  }

  // `name = "literal"`: later uses of name stand for the literal.
  static bool is_assignment(const PyLine& line) noexcept {
    return line.size() == 3 && line[0].kind == PyToken::Kind::name && line[1].text == "=" &&
           line[2].kind == PyToken::Kind::string;
  }

  // ["setenforce", "0"]: a flat list of strings starting with a command-like word is an argv,
  // whichever call eventually runs it.
  void embed_argv_list(const PyLine& line, std::size_t open) {
    std::string argv;
    std::size_t k = open + 1;
    for (; k < line.size(); ++k) {
      const PyToken& token = line[k];
      if (token.kind == PyToken::Kind::string) {
        if (argv.empty() && (token.text.empty() || token.text.find(' ') != std::string_view::npos))
          return;
        if (!argv.empty())
          argv.push_back(' ');
        argv.append(token.text);
      } else if (token.text == "]") {
        break;
      } else if (token.text != ",") {
        return;
      }
    }
    if (k < line.size() && argv.find(' ') != std::string::npos)
      out_.embedded.push_back(EmbeddedScript{Language::bash, std::move(argv), line[open].origin});
  }

  static bool needs_space(const PyToken& previous, const PyToken& token) noexcept {
    const auto tight = [](const PyToken& t, std::string_view set) {
      // std::find: a loop over a few characters, where string_view::find would call memchr.
      return t.kind == PyToken::Kind::other &&
             std::find(set.begin(), set.end(), t.text[0]) != set.end();
    };
    return !(tight(previous, "([{.") || tight(token, ")]}(,.[:"));
  }

  NormalizedScript& out_;
  std::unordered_map<std::string, std::string, opsgraph::detail::StringHash, std::equal_to<>>
      variables_;
  std::unordered_set<std::string, opsgraph::detail::StringHash, std::equal_to<>> shell_functions_;
  Language decoded_language_ = Language::python;
};

}  // namespace

NormalizedScript normalize_python(std::string_view source) {
  NormalizedScript out;
  out.reserve(source.size() + 16);
  PythonEmitter emitter(out);
  lex_python(source, [&emitter](const PyLine& line) { emitter.emit(line); });
  return out;
}

}  // namespace opsgraph::safety::detail
