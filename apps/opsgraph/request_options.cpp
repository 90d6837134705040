#include "request_options.hpp"

#include <opsgraph/core/json.hpp>
#include <opsgraph/safety/language.hpp>
#include <utility>

#include "input.hpp"
#include "task_flow.hpp"

namespace opsgraph::cli {

void add_request_options(CLI::App& command, RequestArguments& args, const std::string& actor_help) {
  auto* text = command.add_option("request", args.text, "The request text");
  auto* file =
      command.add_option("-f,--file", args.file, "Read the request from FILE ('-': stdin)");
  text->excludes(file);
  args.require_approval_flag = command.add_flag(
      "--require-approval{true}", args.require_approval,
      "Ask for an approval whatever the risk (=false asks for none; the policy may still require "
      "one)");
  command.add_option("--context", args.context,
                     R"(Context of the request, a JSON object, e.g. {"host": "cpu01"})");
  command.add_option("--language", args.language,
                     "Script language wanted: bash, powershell, python, azurecli");
  command.add_option("--actor", args.actor, actor_help);
  command.add_option("--idempotency-key", args.idempotency_key,
                     "Submitting again with the same key returns the first task");
}

void check_request_arguments(RequestArguments& args) {
  if (args.text.empty() && args.file.empty())
    throw CLI::RequiredError("a request text or --file");
  args.require_approval_given = args.require_approval_flag && args.require_approval_flag->count();
}

result<engine::ExecuteRequest> request_from(const RequestArguments& args) {
  engine::ExecuteRequest request;
  if (args.file.empty()) {
    request.request = args.text;
  } else {
    // The engine refuses oversized text itself; this bound only keeps a stray file out of memory.
    OPSGRAPH_TRY(auto text, read_input(args.file, std::size_t{1} << 20));
    request.request = std::move(text);
  }
  if (args.require_approval_given)
    request.require_approval = args.require_approval;
  if (!args.language.empty()) {
    OPSGRAPH_TRY(auto language, safety::parse_language(args.language));
    request.language = language;
  }
  if (!args.context.empty()) {
    OPSGRAPH_TRY(auto context, json::parse(args.context));
    request.context = std::move(context);
  }
  request.requester = args.actor.empty() ? default_actor() : args.actor;
  if (!args.idempotency_key.empty())
    request.idempotency_key = args.idempotency_key;
  return request;
}

}  // namespace opsgraph::cli
