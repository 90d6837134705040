#include "signal_watcher.hpp"

#include <pthread.h>
#include <unistd.h>

namespace opsgraph::cli {

SignalWatcher::SignalWatcher(std::string program)
    : second_signal_line_(std::move(program) + ": second signal, exiting now\n") {
  sigemptyset(&signals_);
  sigaddset(&signals_, SIGINT);
  sigaddset(&signals_, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals_, nullptr);
  thread_ = std::thread([this] { watch(); });
}

SignalWatcher::~SignalWatcher() {
  {
    std::lock_guard lock(mutex_);
    closing_ = true;
  }
  // Wakes the watcher's sigwait; it sees closing_ and returns.
  pthread_kill(thread_.native_handle(), SIGTERM);
  thread_.join();
}

int SignalWatcher::wait() {
  std::unique_lock lock(mutex_);
  arrived_.wait(lock, [this] { return first_ != 0; });
  return first_;
}

void SignalWatcher::watch() {
  for (;;) {
    int signal = 0;
    if (sigwait(&signals_, &signal) != 0)
      continue;
    std::lock_guard lock(mutex_);
    if (closing_)
      return;
    if (first_ == 0) {
      first_ = signal;
      arrived_.notify_all();
      continue;
    }
    (void)!::write(STDERR_FILENO, second_signal_line_.data(), second_signal_line_.size());
    ::_exit(128 + signal);
  }
}

}  // namespace opsgraph::cli
