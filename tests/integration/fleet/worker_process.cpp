#include "worker_process.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

extern char** environ;

namespace opsgraph::fleet {
namespace {

using Clock = std::chrono::steady_clock;

int millis_until(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() < 0 ? 0 : static_cast<int>(left.count());
}

// Appends what `fd` has to `out` until a newline arrives, the pipe closes or the deadline passes.
// True when `out` then holds a whole line.
bool read_until_newline(int fd, std::string& out, Clock::time_point deadline) {
  while (out.find('\n') == std::string::npos) {
    pollfd ready{fd, POLLIN, 0};
    const int n = poll(&ready, 1, millis_until(deadline));
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return false;
    char chunk[4096];
    const ssize_t got = read(fd, chunk, sizeof chunk);
    if (got < 0 && errno == EINTR)
      continue;
    if (got <= 0)
      return false;
    out.append(chunk, static_cast<std::size_t>(got));
  }
  return true;
}

// A worker's first line ("worker: started on postgres, ...") or a front end's ("opsgraphd: serving
// http://127.0.0.1:PORT on postgres, API only ...").
bool is_started_line(const std::string& line) {
  return line.find(": started on ") != std::string::npos ||
         line.find(": serving http://") != std::string::npos;
}

}  // namespace

std::optional<WorkerProcess> WorkerProcess::spawn(const std::string& program,
                                                  const std::vector<std::string>& args,
                                                  const std::string& log_path) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    ADD_FAILURE() << "pipe2: " << std::strerror(errno);
    return std::nullopt;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, log_path.c_str(),
                                   O_WRONLY | O_CREAT | O_APPEND, 0644);
  std::vector<std::string> argv_storage{program};
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& arg : argv_storage)
    argv.push_back(arg.data());
  argv.push_back(nullptr);

  pid_t pid = 0;
  const int rc = posix_spawn(&pid, program.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  if (rc != 0) {
    close(fds[0]);
    ADD_FAILURE() << "posix_spawn " << program << ": " << std::strerror(rc);
    return std::nullopt;
  }
  return WorkerProcess(pid, fds[0]);
}

std::optional<WorkerProcess> WorkerProcess::start(const std::string& program,
                                                  const std::vector<std::string>& args,
                                                  const std::string& log_path,
                                                  std::chrono::milliseconds timeout) {
  auto spawned = spawn(program, args, log_path);
  if (!spawned)
    return std::nullopt;
  WorkerProcess worker = std::move(*spawned);
  if (!read_until_newline(worker.stdout_fd_, worker.buffer_, Clock::now() + timeout) ||
      !is_started_line(worker.buffer_)) {
    ADD_FAILURE() << program << " did not start; stdout: " << worker.buffer_
                  << "\nstderr: " << read_file(log_path);
    return std::nullopt;
  }
  worker.started_ = worker.buffer_.substr(0, worker.buffer_.find('\n'));
  return worker;
}

WorkerProcess::WorkerProcess(WorkerProcess&& other) noexcept
    : pid_(other.pid_),
      stdout_fd_(other.stdout_fd_),
      reaped_(other.reaped_),
      started_(std::move(other.started_)),
      buffer_(std::move(other.buffer_)) {
  other.pid_ = -1;
  other.stdout_fd_ = -1;
  other.reaped_ = true;
}

WorkerProcess& WorkerProcess::operator=(WorkerProcess&& other) noexcept {
  if (this != &other) {
    reset();
    pid_ = other.pid_;
    stdout_fd_ = other.stdout_fd_;
    reaped_ = other.reaped_;
    started_ = std::move(other.started_);
    buffer_ = std::move(other.buffer_);
    other.pid_ = -1;
    other.stdout_fd_ = -1;
    other.reaped_ = true;
  }
  return *this;
}

WorkerProcess::~WorkerProcess() {
  reset();
}

void WorkerProcess::reset() noexcept {
  if (!reaped_ && pid_ > 0) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
  }
  if (stdout_fd_ >= 0)
    close(stdout_fd_);
  pid_ = -1;
  stdout_fd_ = -1;
  reaped_ = true;
}

void WorkerProcess::signal(int number) const {
  if (!reaped_ && pid_ > 0)
    ::kill(pid_, number);
}

std::optional<int> WorkerProcess::wait(std::chrono::milliseconds timeout) {
  if (reaped_)
    return std::nullopt;
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    int status = 0;
    const pid_t done = waitpid(pid_, &status, WNOHANG);
    if (done == pid_) {
      reaped_ = true;
      return status;
    }
    if (done < 0 && errno != EINTR)
      return std::nullopt;
    if (Clock::now() >= deadline)
      return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds{10});
  }
}

std::string WorkerProcess::drain_stdout(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (stdout_fd_ >= 0) {
    pollfd ready{stdout_fd_, POLLIN, 0};
    const int n = poll(&ready, 1, millis_until(deadline));
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    char chunk[4096];
    const ssize_t got = read(stdout_fd_, chunk, sizeof chunk);
    if (got < 0 && errno == EINTR)
      continue;
    if (got <= 0)
      break;
    buffer_.append(chunk, static_cast<std::size_t>(got));
  }
  return buffer_;
}

CommandResult run_command(const std::string& program, const std::vector<std::string>& args,
                          const std::string& log_path, std::chrono::milliseconds timeout) {
  CommandResult result;
  auto spawned = WorkerProcess::spawn(program, args, log_path);
  if (!spawned)
    return result;
  WorkerProcess& process = *spawned;
  result.out = process.drain_stdout(timeout);
  const auto status = process.wait(timeout);
  if (!status) {
    ADD_FAILURE() << program << " still running after the timeout; killed";
    return result;  // the destructor kills and reaps it
  }
  result.exit_code = WIFEXITED(*status) ? WEXITSTATUS(*status) : -1;
  return result;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace opsgraph::fleet
