#pragma once
// One `opsgraph worker` process (or an `opsgraphd` front end) for the fleet tests: started with
// posix_spawn (never fork: the test process has threads), its stdout read through a pipe (the
// start and stop lines), its stderr appended to a log file the test can read afterwards. The
// destructor kills (SIGKILL) and reaps a process still running. Not thread-safe.

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace opsgraph::fleet {

/// A short command's outcome: its exit code (-1 when it did not exit normally) and stdout.
struct CommandResult {
  int exit_code = -1;
  std::string out;
};

class WorkerProcess {
 public:
  /// Starts `program` with `args`, stderr appended to `log_path`, and waits up to `timeout` for
  /// its first line: a worker's "...: started on ..." or a server's "...: serving http://...".
  /// nullopt (with a test failure) when it did not start.
  static std::optional<WorkerProcess> start(const std::string& program,
                                            const std::vector<std::string>& args,
                                            const std::string& log_path,
                                            std::chrono::milliseconds timeout);
  WorkerProcess(WorkerProcess&& other) noexcept;
  WorkerProcess& operator=(WorkerProcess&& other) noexcept;
  WorkerProcess(const WorkerProcess&) = delete;
  WorkerProcess& operator=(const WorkerProcess&) = delete;
  ~WorkerProcess();

  void signal(int number) const;
  /// Waits for the process to end; its wait status (WIFEXITED...), or nullopt when it was still
  /// running after `timeout` (it is then left running).
  std::optional<int> wait(std::chrono::milliseconds timeout);
  /// Everything the worker wrote on stdout so far (the lines read are kept).
  std::string drain_stdout(std::chrono::milliseconds timeout);

  pid_t pid() const { return pid_; }
  const std::string& started_line() const { return started_; }

 private:
  friend CommandResult run_command(const std::string&, const std::vector<std::string>&,
                                   const std::string&, std::chrono::milliseconds);
  /// Starts `program` with stdin from /dev/null, stdout to a pipe this object reads and stderr
  /// appended to `log_path`. nullopt (with a test failure) when it could not be started.
  static std::optional<WorkerProcess> spawn(const std::string& program,
                                            const std::vector<std::string>& args,
                                            const std::string& log_path);
  WorkerProcess(pid_t pid, int stdout_fd) : pid_(pid), stdout_fd_(stdout_fd) {}
  void reset() noexcept;

  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  bool reaped_ = false;
  std::string started_;
  std::string buffer_;
};

/// Runs `program` with `args` to its end (killed after `timeout`), stderr to `log_path`.
CommandResult run_command(const std::string& program, const std::vector<std::string>& args,
                          const std::string& log_path, std::chrono::milliseconds timeout);

/// The text of the file at `path` ("" when unreadable).
std::string read_file(const std::string& path);

}  // namespace opsgraph::fleet
