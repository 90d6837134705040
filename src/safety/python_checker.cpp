#include "safety/python_checker.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <charconv>
#include <system_error>
#include <utility>
#include <vector>

#include "safety/posix.hpp"

namespace opsgraph::safety::detail {
namespace {

// The one parse both programs share: the report lines of `source` as UTF-8 bytes, empty when it
// parses. Never runs the script.
constexpr std::string_view kPythonCheck = R"(import ast, sys
def check(source):
    try:
        ast.parse(source, 'script.py')
    except SyntaxError as e:
        found = f'{e.lineno or 0}:{e.offset or 0}:{e.msg}\n'
    except Exception as e:
        found = f'0:0:{type(e).__name__}: {e}\n'
    else:
        return b''
    return found.encode('utf-8', 'backslashreplace')
)";

constexpr std::string_view kPythonOnce = R"(with open(sys.argv[1], 'rb') as f:
    found = check(f.read())
sys.stdout.buffer.write(found)
sys.stdout.flush()
sys.exit(1 if found else 0)
)";

constexpr std::string_view kPythonServe = R"(def serve():
    requests, replies = sys.stdin.buffer, sys.stdout.buffer
    while True:
        header = requests.readline(32)
        if not header:
            return
        size = int(header)
        source = requests.read(size)
        if len(source) != size:
            return
        found = check(source)
        replies.write(b'%d %d\n' % (1 if found else 0, len(found)) + found)
        replies.flush()
serve()
)";

// A reply longer than this is not one: the answer to a 1 MiB script is a line or two.
constexpr std::size_t kMaxReplyBytes = 64 * 1024;

using Clock = std::chrono::steady_clock;

// Waits until `fd` is ready for `events` or the deadline passes; false on timeout or error.
bool wait_ready(int fd, short events, Clock::time_point deadline) {
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0)
      return false;
    pollfd poll_fd{fd, events, 0};
    const int ready = ::poll(&poll_fd, 1, static_cast<int>(left));
    if (ready < 0 && errno == EINTR)
      continue;
    return ready > 0;
  }
}

// "<failed> <bytes>\n<bytes of output>": nullopt while incomplete, `broken` when malformed.
std::optional<ServerReply> decode_reply(std::string_view data) {
  const std::size_t newline = data.find('\n');
  if (newline == std::string_view::npos) {
    if (data.size() > 32)
      return ServerReply{ServerReply::Kind::broken, false, "malformed reply header"};
    return std::nullopt;
  }
  const std::string_view header = data.substr(0, newline);
  std::size_t size = 0;
  const char* digits = header.data() + 2;
  const char* end = header.data() + header.size();
  const bool well_formed = header.size() > 2 && (header[0] == '0' || header[0] == '1') &&
                           header[1] == ' ' && std::from_chars(digits, end, size).ptr == end &&
                           size <= kMaxReplyBytes && (header[0] == '1') == (size > 0);
  if (!well_formed)
    return ServerReply{ServerReply::Kind::broken, false, "malformed reply header"};
  const std::string_view body = data.substr(newline + 1);
  if (body.size() < size)
    return std::nullopt;
  if (body.size() > size)
    return ServerReply{ServerReply::Kind::broken, false, "bytes after the reply"};
  return ServerReply{ServerReply::Kind::answered, header[0] == '1', std::string(body)};
}

// One `python3 -I -S -c <server>` process on the far side of a socket pair.
class PythonServerProcess final : public ParserServer {
 public:
  PythonServerProcess(pid_t pid, Fd socket) : pid_(pid), socket_(std::move(socket)) {}
  PythonServerProcess(const PythonServerProcess&) = delete;
  PythonServerProcess& operator=(const PythonServerProcess&) = delete;

  // SIGKILL, not a polite close: it cannot hang, and a server stuck in a parse must go anyway.
  ~PythonServerProcess() override {
    socket_.reset();
    ::kill(-pid_, SIGKILL);
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
  }

  ServerReply parse(std::string_view script, std::chrono::milliseconds timeout) override {
    const auto deadline = Clock::now() + timeout;
    std::string request = std::to_string(script.size()) + "\n";
    request.append(script);
    if (auto failed = send_all(request, deadline))
      return *failed;
    return receive(deadline);
  }

  int pid() const noexcept override { return static_cast<int>(pid_); }

 private:
  std::optional<ServerReply> send_all(std::string_view data, Clock::time_point deadline) {
    while (!data.empty()) {
      const ssize_t sent = ::send(socket_.get(), data.data(), data.size(), MSG_NOSIGNAL);
      if (sent > 0) {
        data.remove_prefix(static_cast<std::size_t>(sent));
      } else if (sent < 0 && errno == EINTR) {
        continue;
      } else if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        if (!wait_ready(socket_.get(), POLLOUT, deadline))
          return timed_out_or_broken(deadline, "the server stopped reading");
      } else {
        return ServerReply{ServerReply::Kind::broken, false, "the server is gone"};
      }
    }
    return std::nullopt;
  }

  ServerReply receive(Clock::time_point deadline) {
    std::string data;
    std::array<char, 4096> buffer;
    for (;;) {
      if (auto reply = decode_reply(data))
        return *reply;
      if (!wait_ready(socket_.get(), POLLIN, deadline))
        return timed_out_or_broken(deadline, "poll failed");
      const ssize_t n = ::recv(socket_.get(), buffer.data(), buffer.size(), 0);
      if (n > 0) {
        data.append(buffer.data(), static_cast<std::size_t>(n));
      } else if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)) {
        continue;
      } else {
        return ServerReply{ServerReply::Kind::broken, false, "the server closed its output"};
      }
    }
  }

  static ServerReply timed_out_or_broken(Clock::time_point deadline, std::string why) {
    if (Clock::now() >= deadline)
      return ServerReply{ServerReply::Kind::timed_out, false, {}};
    return ServerReply{ServerReply::Kind::broken, false, std::move(why)};
  }

  pid_t pid_;
  Fd socket_;
};

class PythonServerLauncher final : public ParserServerLauncher {
 public:
  explicit PythonServerLauncher(std::string python)
      : python_(std::move(python)), program_(python_server_program()) {}

  result<std::unique_ptr<ParserServer>> start() const override {
    if (python_.empty() || python_[0] != '/')
      return fail(errc::invalid_argument, "the Python checker must be given as an absolute path");
    int sockets[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sockets) != 0)
      return fail(os_error("create a socket pair for the Python checker", errno));
    Fd ours(sockets[0]);
    Fd theirs(sockets[1]);
    if (::fcntl(ours.get(), F_SETFL, O_NONBLOCK) != 0)
      return fail(os_error("make the Python checker's socket non-blocking", errno));

    SpawnSetup setup;
    posix_spawnattr_setpgroup(&setup.attr, 0);
    sigset_t defaults;
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGPIPE);
    posix_spawnattr_setsigdefault(&setup.attr, &defaults);
    posix_spawnattr_setflags(&setup.attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF);
    posix_spawn_file_actions_adddup2(&setup.actions, theirs.get(), 0);
    posix_spawn_file_actions_adddup2(&setup.actions, theirs.get(), 1);
    posix_spawn_file_actions_addopen(&setup.actions, 2, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addclosefrom_np(&setup.actions, 3);
    posix_spawn_file_actions_addchdir_np(&setup.actions, "/");

    std::array<std::string, 5> args{python_, "-I", "-S", "-c", program_};
    std::vector<char*> argv;
    for (std::string& arg : args)
      argv.push_back(arg.data());
    argv.push_back(nullptr);
    std::array<char*, 4> env{const_cast<char*>("PATH=/usr/local/bin:/usr/bin:/bin"),
                             const_cast<char*>("LC_ALL=C.UTF-8"), const_cast<char*>("HOME=/"),
                             nullptr};
    pid_t pid = 0;
    const int spawned =
        ::posix_spawn(&pid, python_.c_str(), &setup.actions, &setup.attr, argv.data(), env.data());
    if (spawned != 0)
      return fail(os_error("start " + python_, spawned));
    return std::unique_ptr<ParserServer>(new PythonServerProcess(pid, std::move(ours)));
  }

 private:
  std::string python_;
  std::string program_;
};

}  // namespace

std::string python_once_program() {
  return std::string(kPythonCheck) + std::string(kPythonOnce);
}

std::string python_server_program() {
  return std::string(kPythonCheck) + std::string(kPythonServe);
}

SyntaxReport python_syntax_report(bool failed, std::string_view output,
                                  std::string_view stderr_text) {
  SyntaxReport report{!failed, "python ast", false, {}};
  if (failed) {
    parse_located_errors(output, report);
    if (report.errors.empty())
      report.errors.push_back(SyntaxError{0, 0, "python: " + std::string(stderr_text)});
  }
  return report;
}

std::unique_ptr<ParserServerLauncher> python_server_launcher(std::string python) {
  return std::make_unique<PythonServerLauncher>(std::move(python));
}

PythonChecker::PythonChecker(std::unique_ptr<ParserServerLauncher> launcher)
    : launcher_(std::move(launcher)) {}

PythonChecker::~PythonChecker() = default;

SyntaxReport PythonChecker::check(const ToolContext& context, std::string_view script) const {
  if (context.tools.python.empty())
    return SyntaxReport{true, "none", true, {}};
  {
    std::unique_lock lock(mutex_, std::defer_lock);
    if (lock.try_lock_for(context.timeout) && !disabled_) {
      if (auto report = check_on_server(script, context.timeout))
        return *report;
    }
  }
  return check_python_syntax(context, script);
}

// With the lock held: the server's verdict, or nullopt when it could not give one (the caller
// then runs the per-process program).
std::optional<SyntaxReport> PythonChecker::check_on_server(
    std::string_view script, std::chrono::milliseconds timeout) const {
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (!server_) {
      auto started = launcher_->start();
      if (!started)
        break;
      server_ = std::move(started).value();
    }
    ServerReply reply = server_->parse(script, timeout);
    switch (reply.kind) {
      case ServerReply::Kind::answered:
        failures_ = 0;
        return python_syntax_report(reply.failed, reply.output, {});
      case ServerReply::Kind::timed_out:
        server_.reset();
        return tool_failure_report("python ast", "python ast did not finish in time");
      case ServerReply::Kind::broken:
        server_.reset();
        break;
    }
  }
  disabled_ = ++failures_ >= kMaxFailures;
  return std::nullopt;
}

int PythonChecker::server_pid() const {
  std::lock_guard lock(mutex_);
  return server_ ? server_->pid() : 0;
}

}  // namespace opsgraph::safety::detail
