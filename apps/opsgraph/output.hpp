#pragma once
// How the CLI's commands report: a result as JSON (--json) or as aligned text, and an error as a
// line on stderr (plus a JSON error object on stdout with --json, so pipelines can parse it).

#include <opsgraph/core/error.hpp>
#include <string>
#include <string_view>

#include "exit_code.hpp"

namespace opsgraph::cli {

/// Prints `error` for `command` and returns the exit code that goes with it: kError.
ExitCode report_error(std::string_view command, const Error& error, bool json);

/// One "label  value" line of the text output, labels padded to one column.
std::string text_row(std::string_view label, std::string_view value);

}  // namespace opsgraph::cli
