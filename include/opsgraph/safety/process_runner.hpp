#pragma once
// opsgraph::safety::ProcessRunner — the seam through which the ScriptChecker runs its external
// tools (bash -n, python, shellcheck, pwsh). SubprocessRunner is the real one; tests substitute a
// double that answers without starting anything.

#include <chrono>
#include <cstddef>
#include <memory>
#include <opsgraph/core/result.hpp>
#include <opsgraph/export.hpp>
#include <string>
#include <vector>

namespace opsgraph::safety {

/// A file the runner writes into the process's working directory before starting it.
struct InputFile {
  /// A plain file name (no '/'), e.g. "script.sh"; argv refers to it by this name.
  std::string name;
  std::string content;
};

/// One process to run: no shell, stdin closed, in a fresh empty working directory holding `files`.
struct ProcessRequest {
  /// argv[0] is an absolute path to the program; nothing is looked up in PATH or interpreted.
  std::vector<std::string> argv;
  std::vector<InputFile> files;
  /// Past it the whole process group is killed and the result says timed_out.
  std::chrono::milliseconds timeout{10000};
  /// Bytes kept of each of stdout and stderr; the rest is read and dropped.
  std::size_t max_output_bytes = std::size_t{1} << 20;
};

struct ProcessResult {
  /// The exit status when the process exited; -1 when it was killed by a signal.
  int exit_code = -1;
  /// The signal that ended the process, or 0.
  int signal = 0;
  bool timed_out = false;
  std::string stdout_text;
  std::string stderr_text;
  /// True when either stream was longer than max_output_bytes.
  bool output_truncated = false;
};

/// Runs one process to completion. Implementations are thread-safe: run() may be called from many
/// threads at once. A process that cannot be started (missing program, no temp space) is an Error;
/// a process that fails or times out is a ProcessResult saying so.
class OPSGRAPH_API ProcessRunner {
 public:
  virtual ~ProcessRunner() = default;
  virtual result<ProcessResult> run(const ProcessRequest& request) const = 0;
};

/// The real runner: posix_spawn (never fork, so it is safe in a threaded process), a new process
/// group per run, stdin from /dev/null, a fresh temp directory as working directory (removed
/// afterwards), stdout and stderr captured through pipes. Stateless and thread-safe.
class OPSGRAPH_API SubprocessRunner final : public ProcessRunner {
 public:
  result<ProcessResult> run(const ProcessRequest& request) const override;
};

}  // namespace opsgraph::safety
