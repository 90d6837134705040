#include "mock_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>
#include <utility>
#include <vector>

extern char** environ;

namespace opsgraph::bench {
namespace {

// The first line the child writes, or "" when it closes its stdout first.
std::string read_line(int fd) {
  std::string line;
  char c = 0;
  for (;;) {
    const auto n = ::read(fd, &c, 1);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0 || c == '\n')
      return line;
    line.push_back(c);
  }
}

void stop(pid_t pid) {
  ::kill(pid, SIGTERM);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
}

}  // namespace

result<MockProcess> MockProcess::start(const std::string& program, const std::string& rules_file) {
  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0)
    return fail(errc::internal, std::string("pipe: ") + std::strerror(errno));
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  std::vector<std::string> args{program, "--rules", rules_file, "--print-port", "--threads", "1"};
  std::vector<char*> argv;
  for (auto& a : args)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = -1;
  const int spawned = ::posix_spawn(&pid, program.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(out[1]);
  if (spawned != 0) {
    ::close(out[0]);
    return fail(errc::internal, "cannot start " + program + ": " + std::strerror(spawned));
  }
  const std::string port = read_line(out[0]);
  ::close(out[0]);
  if (port.empty() || port.find_first_not_of("0123456789") != std::string::npos) {
    stop(pid);
    return fail(errc::internal, program + " did not print its port");
  }
  return MockProcess(pid, "http://127.0.0.1:" + port);
}

MockProcess::MockProcess(MockProcess&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)), base_url_(std::move(other.base_url_)) {}

MockProcess::~MockProcess() {
  if (pid_ > 0)
    stop(pid_);
}

std::chrono::nanoseconds MockProcess::cpu_time() const {
  std::ifstream file("/proc/" + std::to_string(pid_) + "/stat");
  std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  // Fields after the command name, which is in parentheses and may hold spaces: state is field 3,
  // utime and stime are fields 14 and 15.
  const auto close = text.rfind(')');
  if (close == std::string::npos)
    return {};
  std::istringstream fields(text.substr(close + 1));
  std::string skip;
  for (int field = 3; field <= 13; ++field)
    fields >> skip;
  long long user = 0, system = 0;
  if (!(fields >> user >> system))
    return {};
  const long ticks = ::sysconf(_SC_CLK_TCK);
  return std::chrono::nanoseconds((user + system) * 1'000'000'000LL / ticks);
}

}  // namespace opsgraph::bench
