#include "route_command.hpp"

#include <cstdio>
#include <iostream>
#include <memory>
#include <opsgraph/core/json.hpp>
#include <opsgraph/router/rule_router.hpp>
#include <string>

#include "input.hpp"
#include "output.hpp"

namespace opsgraph::cli {
namespace {

constexpr std::string_view kCommand = "route";

struct RouteArguments {
  std::string request;
  std::string file;
  std::string rules;
  std::string context;
  std::string language;
  bool require_approval = false;
  bool json = false;
};

template <class Enum>
std::string name_of(Enum value) {
  // The codecs hold each enum's one spelling; the CLI prints that, unquoted.
  std::string quoted = json::encode(value);
  return quoted.size() >= 2 ? quoted.substr(1, quoted.size() - 2) : quoted;
}

template <class Enum>
std::string join_names(const std::vector<Enum>& values) {
  std::string joined;
  for (const Enum& value : values)
    joined += (joined.empty() ? "" : ", ") + name_of(value);
  return joined.empty() ? "-" : joined;
}

std::string with_score(router::Level level, double score) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, " (%.2f)", score);
  return name_of(level) + buffer;
}

void print_text(const router::RouteDecision& decision) {
  std::cout << text_row("risk", with_score(decision.risk.level, decision.risk.score) +
                                    (decision.route.requires_approval ? ", approval required"
                                                                      : ", no approval needed"))
            << '\n'
            << text_row("task type", name_of(decision.task_type)) << '\n'
            << text_row("category", decision.route.category) << '\n'
            << text_row("agents", join_names(decision.route.required_agents)) << '\n'
            << text_row("complexity", with_score(decision.route.complexity.level,
                                                 decision.route.complexity.score))
            << '\n';
  if (decision.language)
    std::cout << text_row("language", to_string(*decision.language)) << '\n';
  if (!decision.exclusions.empty())
    std::cout << text_row("declines", join_names(decision.exclusions)) << '\n';
  for (const std::string& change : decision.normalization)
    std::cout << text_row("normalised", change) << '\n';
  if (!decision.risk.reasons.empty())
    std::cout << "reasons\n";
  for (const router::Reason& reason : decision.risk.reasons)
    std::cout << "  - " << reason.rule << ": " << reason.detail << '\n';
}

result<router::RouteHints> hints_from(const RouteArguments& args) {
  router::RouteHints hints;
  if (args.require_approval)
    hints.require_approval = true;
  if (!args.language.empty()) {
    OPSGRAPH_TRY(auto language, safety::parse_language(args.language));
    hints.language = language;
  }
  if (!args.context.empty()) {
    OPSGRAPH_TRY(auto context, json::parse(args.context));
    hints.context = std::move(context);
  }
  return hints;
}

result<router::RouteDecision> route(const RouteArguments& args) {
  OPSGRAPH_TRY(auto rules, args.rules.empty() ? router::RuleSet::defaults()
                                              : router::RuleSet::load(args.rules));
  OPSGRAPH_TRY(auto router, router::RuleRouter::create(std::move(rules)));
  OPSGRAPH_TRY(auto hints, hints_from(args));
  if (args.file.empty())
    return router.route(args.request, hints);
  // The router refuses oversized text itself; this bound only keeps a stray file out of memory.
  OPSGRAPH_TRY(auto request, read_input(args.file, std::size_t{1} << 20));
  return router.route(request, hints);
}

ExitCode run(const RouteArguments& args) {
  result<router::RouteDecision> decision = route(args);
  if (!decision)
    return report_error(kCommand, decision.error(), args.json);
  if (args.json)
    std::cout << json::encode(decision.value()) << '\n';
  else
    print_text(decision.value());
  return kSuccess;
}

}  // namespace

void add_route_command(CLI::App& app, ExitCode& exit_code) {
  auto args = std::make_shared<RouteArguments>();
  CLI::App* command = app.add_subcommand(
      std::string(kCommand),
      "Route a request with the rule stage: risk, approval, category, agents, language");
  auto* text = command->add_option("request", args->request, "The request text");
  auto* file =
      command->add_option("-f,--file", args->file, "Read the request from FILE ('-': stdin)");
  text->excludes(file);
  command->add_option("--rules", args->rules, "Use this rule file instead of the built-in rules")
      ->check(CLI::ExistingFile);
  command->add_option("--context", args->context, "The request's context, a JSON object");
  command->add_option("--language", args->language,
                      "The script language asked for: bash, powershell, python, azurecli");
  command->add_flag("--require-approval", args->require_approval,
                    "Ask for an approval whatever the risk");
  command->add_flag("--json", args->json, "Print the decision as JSON");
  command->callback([args, &exit_code] {
    if (args->request.empty() && args->file.empty())
      throw CLI::RequiredError("a request text or --file");
    exit_code = run(*args);
  });
}

}  // namespace opsgraph::cli
