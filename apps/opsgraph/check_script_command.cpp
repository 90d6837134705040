#include "check_script_command.hpp"

#include <iostream>
#include <memory>
#include <opsgraph/core/json_codec.hpp>
#include <opsgraph/safety/script_checker.hpp>
#include <string>

#include "input.hpp"
#include "output.hpp"

namespace opsgraph::cli {
namespace {

constexpr std::string_view kCommand = "check-script";

struct CheckArguments {
  std::string file;
  std::string language;
  std::string rules;
  bool json = false;
};

std::string severity_name(safety::Severity severity) {
  std::string quoted = json::encode(severity);
  return quoted.substr(1, quoted.size() - 2);
}

void print_text(const std::string& file, const safety::CheckReport& report) {
  const safety::SyntaxReport& syntax = report.syntax;
  std::cout << text_row("syntax", std::string(syntax.ok ? "ok" : "failed") + " (" + syntax.checker +
                                      (syntax.structural_only ? ", structural only" : "") + ")")
            << '\n';
  for (const safety::SyntaxError& error : syntax.errors) {
    std::cout << "  " << file << ':' << error.line << ':' << error.column << ": " << error.message
              << '\n';
  }
  std::cout << text_row("lint", report.lint_tool.empty() ? "-" : report.lint_tool) << '\n'
            << text_row("findings", std::to_string(report.findings.size())) << '\n';
  for (const safety::Finding& finding : report.findings) {
    std::cout << "  " << file << ':' << finding.line << ':' << finding.column << ": "
              << severity_name(finding.severity) << " [" << finding.category << '/' << finding.rule
              << "] " << finding.message << "\n      " << finding.excerpt << '\n';
  }
  std::cout << text_row("result", report.lint_passed() ? "passed" : "not passed") << '\n';
}

result<safety::CheckReport> check(const CheckArguments& args) {
  OPSGRAPH_TRY(auto language, safety::parse_language(args.language));
  safety::ScriptCheckerOptions options;
  options.rules_path = args.rules;
  OPSGRAPH_TRY(auto checker, safety::ScriptChecker::create(std::move(options)));
  // The checker refuses oversized scripts itself; one byte over its limit is enough to show that.
  OPSGRAPH_TRY(auto script, read_input(args.file, (std::size_t{1} << 20) + 1));
  return checker.check(script, language);
}

ExitCode run(const CheckArguments& args) {
  result<safety::CheckReport> report = check(args);
  if (!report)
    return report_error(kCommand, report.error(), args.json);
  if (args.json)
    std::cout << json::encode(report.value()) << '\n';
  else
    print_text(args.file == "-" ? std::string("<stdin>") : args.file, report.value());
  return report.value().lint_passed() ? kSuccess : kCheckFailed;
}

}  // namespace

void add_check_script_command(CLI::App& app, ExitCode& exit_code) {
  auto args = std::make_shared<CheckArguments>();
  CLI::App* command =
      app.add_subcommand(std::string(kCommand),
                         "Check a script without running it: syntax, lint and security findings; "
                         "exit 1 when it does not pass");
  command->add_option("file", args->file, "The script ('-': stdin)")->required();
  command->add_option("-l,--language", args->language, "bash, powershell, python or azurecli")
      ->required();
  command
      ->add_option("--rules", args->rules,
                   "Use this security rule file instead of the built-in rules")
      ->check(CLI::ExistingFile);
  command->add_flag("--json", args->json, "Print the report as JSON");
  command->callback([args, &exit_code] { exit_code = run(*args); });
}

}  // namespace opsgraph::cli
