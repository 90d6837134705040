#pragma once
// Runs the opsgraph CLI as a user would, in a controlled environment: stdin from /dev/null (no
// terminal), stdout and stderr captured separately, chosen environment variables removed or set.
// Started with posix_spawn, never fork (the test process has threads). Not thread-safe.

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace opsgraph::testing {

struct ProcessResult {
  /// The exit status, or -1 when the process did not exit normally or was not started.
  int exit_code = -1;
  std::string out;
  std::string err;
};

struct ProcessOptions {
  /// Variables to set (a value) or to remove (nullopt); the rest of the environment is inherited.
  std::map<std::string, std::optional<std::string>> env = {};
  /// The process is killed when it runs longer.
  std::chrono::milliseconds timeout{std::chrono::seconds{120}};
};

ProcessResult run_process(const std::string& program, const std::vector<std::string>& args,
                          const ProcessOptions& options = {});

}  // namespace opsgraph::testing
