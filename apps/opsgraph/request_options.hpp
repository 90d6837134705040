#pragma once
// The options that describe a new request, shared by the commands that submit one (run, submit):
// its text or file, approval wish, context, script language, requester and idempotency key.

#include <CLI/App.hpp>
#include <opsgraph/core/result.hpp>
#include <opsgraph/engine/requests.hpp>
#include <string>

namespace opsgraph::cli {

struct RequestArguments {
  std::string text = "";
  std::string file = "";
  std::string context = "";
  std::string language = "";
  std::string actor = "";
  std::string idempotency_key = "";
  bool require_approval = true;
  /// Set by check_request_arguments(): whether --require-approval was given at all.
  bool require_approval_given = false;
  CLI::Option* require_approval_flag = nullptr;
};

/// Adds the request text (or -f/--file), --require-approval, --context, --language, --actor
/// (described by `actor_help`) and --idempotency-key to `command`.
void add_request_options(CLI::App& command, RequestArguments& args, const std::string& actor_help);

/// From the command's callback: throws CLI::RequiredError when neither a text nor a file was
/// given, and notes which optional flags were.
void check_request_arguments(RequestArguments& args);

/// The ExecuteRequest the arguments describe. Errors: an unreadable file, a bad language or
/// context.
result<engine::ExecuteRequest> request_from(const RequestArguments& args);

}  // namespace opsgraph::cli
