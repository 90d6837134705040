#pragma once
// SignalWatcher: SIGINT and SIGTERM for the long-running commands (worker, serve), taken by one
// thread with sigwait so that no work happens in a signal handler. The constructor blocks both
// signals in the calling thread before it starts its own; every thread started later inherits
// the mask, so it must be made before any other thread exists. The first signal is handed to
// wait(); a second one ends the process at once, with the shell's code for death by that signal
// (128 + its number).

#include <signal.h>

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace opsgraph::cli {

class SignalWatcher {
 public:
  /// `program` starts the line printed when a second signal ends the process.
  explicit SignalWatcher(std::string program);
  ~SignalWatcher();
  SignalWatcher(const SignalWatcher&) = delete;
  SignalWatcher& operator=(const SignalWatcher&) = delete;

  /// Blocks until the first signal; returns its number.
  int wait();

 private:
  void watch();

  const std::string second_signal_line_;
  sigset_t signals_{};
  std::mutex mutex_;
  std::condition_variable arrived_;
  int first_ = 0;
  bool closing_ = false;
  std::thread thread_;
};

}  // namespace opsgraph::cli
