// Lint findings: shellcheck for bash, and the Azure CLI list check that every command is `az`.

#include <algorithm>
#include <opsgraph/core/json.hpp>
#include <string>
#include <string_view>

#include "safety/normalized_script.hpp"
#include "safety/shell_lexer.hpp"
#include "safety/source_lines.hpp"
#include "safety/tools.hpp"

namespace opsgraph::safety::detail {
namespace {

Severity shellcheck_severity(std::string_view level) noexcept {
  if (level == "error")
    return Severity::medium;
  if (level == "warning")
    return Severity::low;
  return Severity::info;
}

std::size_t integer_member(const json::Value& object, std::string_view name) {
  const json::Value* value = object.find(name);
  const std::int64_t* n = value != nullptr ? value->if_integer() : nullptr;
  return n != nullptr && *n > 0 ? static_cast<std::size_t>(*n) : 0;
}

std::string string_member(const json::Value& object, std::string_view name) {
  const json::Value* value = object.find(name);
  const std::string* text = value != nullptr ? value->if_string() : nullptr;
  return text != nullptr ? *text : std::string();
}

// Commands an Azure CLI list may use besides `az`: shell structure and harmless builtins.
bool is_allowed_in_azurecli(std::string_view name) noexcept {
  static constexpr std::string_view kAllowed[] = {
      "az",    "set",   "echo",     "printf", "export",   "if",      "then",     "else", "elif",
      "fi",    "for",   "do",       "done",   "while",    "until",   "case",     "esac", "read",
      "local", "exit",  "return",   "[",      "[[",       "]]",      "{",        "}",    "sleep",
      "true",  "false", "test",     "unset",  "shift",    "declare", "readonly", "trap", "wait",
      "!",     ";;",    "function", "break",  "continue", "source",  ".",        "jq"};
  return std::find(std::begin(kAllowed), std::end(kAllowed), name) != std::end(kAllowed);
}

bool is_assignment(std::string_view word) noexcept {
  const std::size_t equals = word.find('=');
  return equals != std::string_view::npos && equals > 0 &&
         std::all_of(word.begin(), word.begin() + static_cast<std::ptrdiff_t>(equals), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
         });
}

// Flags the first command of `pipeline` when it is neither az nor a harmless builtin.
void check_azurecli_pipeline(const ShellPipeline& pipeline, const SourceLines& lines,
                             std::vector<Finding>& findings) {
  const ShellCommand& command = pipeline.front();
  const auto word = std::find_if(command.begin(), command.end(), [](const ShellWord& w) {
    return !w.is_operator && !w.is_heredoc && !is_assignment(w.text);
  });
  if (word == command.end() || is_allowed_in_azurecli(word->text))
    return;
  const std::size_t line = lines.line_of(word->origin);
  // Appended rather than `"\"" + std::string(...)`, on which GCC 12 warns -Wrestrict wrongly.
  std::string message = "\"";
  message.append(word->text);
  message +=
      "\" is not an Azure CLI command: an Azure CLI list should only run az; review what "
      "this line does";
  findings.push_back(Finding{"az_non_az_command", "lint", Severity::low, line,
                             lines.column_of(word->origin), lines.excerpt(line),
                             std::move(message)});
}

}  // namespace

std::optional<std::vector<Finding>> run_shellcheck(const ToolContext& context,
                                                   std::string_view script) {
  if (context.tools.shellcheck.empty())
    return std::nullopt;
  ProcessRequest request;
  request.argv = {context.tools.shellcheck, "-f", "json", "-s", "bash", "script.sh"};
  request.files.push_back(InputFile{"script.sh", std::string(script)});
  request.timeout = context.timeout;
  auto ran = context.runner.run(request);
  // shellcheck exits 1 when it has findings; anything above means it could not check.
  if (!ran || ran.value().timed_out || ran.value().exit_code < 0 || ran.value().exit_code > 1)
    return std::nullopt;
  auto parsed = json::parse(ran.value().stdout_text);
  if (!parsed || !parsed.value().is_array())
    return std::nullopt;
  const SourceLines lines(script);
  std::vector<Finding> findings;
  for (const json::Value& comment : *parsed.value().if_array()) {
    const std::size_t line = integer_member(comment, "line");
    findings.push_back(Finding{"SC" + std::to_string(integer_member(comment, "code")), "lint",
                               shellcheck_severity(string_member(comment, "level")), line,
                               integer_member(comment, "column"), lines.excerpt(line),
                               string_member(comment, "message")});
  }
  return findings;
}

std::vector<Finding> check_azurecli_commands(std::string_view script) {
  std::vector<EmbeddedScript> ignored;
  const SourceLines lines(script);
  std::vector<Finding> findings;
  ShellLexer lexer(script, ignored);
  lexer.run([&](const ShellLine& line) {
    for (const ShellPipeline& pipeline : line)
      check_azurecli_pipeline(pipeline, lines, findings);
  });
  return findings;
}

}  // namespace opsgraph::safety::detail
