#pragma once
// ChildProcess — a helper binary started with posix_spawn (never fork: the test process has
// threads), its stdout read line by line through a pipe. The destructor kills and reaps a child
// that is still running. Not thread-safe.

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace opsgraph::testing {

class ChildProcess {
 public:
  /// Starts `program` with `args` (argv[1]...). Returns nullopt (with a test failure) if it could
  /// not be started.
  static std::optional<ChildProcess> spawn(const std::string& program,
                                           const std::vector<std::string>& args);
  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&&) = delete;
  ChildProcess(const ChildProcess&) = delete;
  ~ChildProcess();

  /// The next line of the child's stdout without its newline; nullopt at end of output or when
  /// nothing arrives within `timeout`.
  std::optional<std::string> read_line(std::chrono::milliseconds timeout);

  void kill(int signal);

  /// Waits for the child to end and returns its wait status (see WIFEXITED and friends).
  int wait();

  pid_t pid() const { return pid_; }

 private:
  ChildProcess(pid_t pid, int stdout_fd) : pid_(pid), stdout_fd_(stdout_fd) {}
  pid_t pid_;
  int stdout_fd_;
  bool reaped_ = false;
  std::string buffer_;
};

}  // namespace opsgraph::testing
