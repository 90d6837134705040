#pragma once
// The opsgraph CLI's exit codes: scripts branch on them, so they never change meaning.

namespace opsgraph::cli {

enum ExitCode : int {
  kSuccess = 0,      ///< The command did what was asked, and a check it ran passed.
  kCheckFailed = 1,  ///< The command ran, and what it checked did not pass (e.g. a script's lint).
  kUsage = 2,        ///< The command line was wrong (unknown option, missing argument).
  kError = 3,        ///< The command could not run: unreadable file, invalid rules, bad input.
};

}  // namespace opsgraph::cli
