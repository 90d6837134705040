#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <opsgraph/safety/process_runner.hpp>
#include <string>
#include <system_error>
#include <vector>

#include "safety/posix.hpp"

namespace opsgraph::safety {
namespace {

using detail::Fd;
using detail::os_error;
using detail::SpawnSetup;

// A fresh directory under $TMPDIR (or /tmp), removed with its contents when this goes away.
class ScratchDirectory {
 public:
  static result<ScratchDirectory> create() {
    const char* base = std::getenv("TMPDIR");
    std::string pattern =
        std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/opsgraph-check-XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr)
      return fail(os_error("create a working directory for a checker tool", errno));
    return ScratchDirectory(std::move(pattern));
  }
  ScratchDirectory(ScratchDirectory&& other) noexcept : path_(std::move(other.path_)) {
    other.path_.clear();
  }
  ScratchDirectory& operator=(ScratchDirectory&&) = delete;
  ~ScratchDirectory() {
    std::error_code ec;
    if (!path_.empty())
      std::filesystem::remove_all(path_, ec);
  }

  const std::string& path() const noexcept { return path_; }

  result<void> write(const InputFile& file) const {
    if (file.name.empty() || file.name.find('/') != std::string::npos || file.name == "." ||
        file.name == "..") {
      return fail(errc::invalid_argument,
                  "input file name \"" + file.name + "\" must be a plain file name");
    }
    std::ofstream out(path_ + "/" + file.name, std::ios::binary);
    out.write(file.content.data(), static_cast<std::streamsize>(file.content.size()));
    if (!out.good())
      return fail(errc::internal, "could not write " + file.name + " for a checker tool");
    return ok();
  }

 private:
  explicit ScratchDirectory(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

struct Pipe {
  Fd read;
  Fd write;
};

result<Pipe> make_pipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    return fail(os_error("create a pipe for a checker tool", errno));
  return Pipe{Fd(fds[0]), Fd(fds[1])};
}

// Collects one stream up to a cap, counting what it drops.
struct Capture {
  std::string* text;
  std::size_t cap;
  bool truncated = false;
  bool open = true;

  void append(const char* data, std::size_t n) {
    const std::size_t room = cap > text->size() ? cap - text->size() : 0;
    text->append(data, std::min(room, n));
    if (n > room)
      truncated = true;
  }
};

// Reads both pipes until both close or the deadline passes; returns false on timeout.
bool drain(std::array<Fd, 2>& fds, std::array<Capture, 2>& captures,
           std::chrono::steady_clock::time_point deadline) {
  std::array<char, 16384> buffer;
  while (captures[0].open || captures[1].open) {
    std::array<pollfd, 2> polls{};
    nfds_t count = 0;
    std::array<int, 2> which{};
    for (int i = 0; i < 2; ++i) {
      if (captures[i].open) {
        polls[count] = pollfd{fds[i].get(), POLLIN, 0};
        which[count++] = i;
      }
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0)
      return false;
    const int ready = ::poll(polls.data(), count, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR)
      continue;
    if (ready == 0)
      return false;
    if (ready < 0)
      return true;  // poll itself failed: keep what was read and let waitpid decide
    for (nfds_t k = 0; k < count; ++k) {
      if (polls[k].revents == 0)
        continue;
      const int i = which[k];
      const ssize_t n = ::read(fds[i].get(), buffer.data(), buffer.size());
      if (n > 0) {
        captures[i].append(buffer.data(), static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        captures[i].open = false;
      }
    }
  }
  return true;
}

int wait_for(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

}  // namespace

result<ProcessResult> SubprocessRunner::run(const ProcessRequest& request) const {
  if (request.argv.empty() || request.argv[0].empty() || request.argv[0][0] != '/')
    return fail(errc::invalid_argument, "a checker tool must be given as an absolute path");
  OPSGRAPH_TRY(auto directory, ScratchDirectory::create());
  for (const InputFile& file : request.files) {
    OPSGRAPH_TRY(directory.write(file));
  }
  OPSGRAPH_TRY(auto out, make_pipe());
  OPSGRAPH_TRY(auto err, make_pipe());

  SpawnSetup setup;
  posix_spawnattr_setpgroup(&setup.attr, 0);  // its own group, so a timeout kills its children too
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  posix_spawnattr_setsigdefault(&setup.attr, &defaults);
  posix_spawnattr_setflags(&setup.attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF);
  posix_spawn_file_actions_addopen(&setup.actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&setup.actions, out.write.get(), 1);
  posix_spawn_file_actions_adddup2(&setup.actions, err.write.get(), 2);
  posix_spawn_file_actions_addclosefrom_np(&setup.actions, 3);
  posix_spawn_file_actions_addchdir_np(&setup.actions, directory.path().c_str());

  std::vector<char*> argv;
  for (const std::string& arg : request.argv)
    argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  // A small fixed environment: tools behave the same whoever embeds the library.
  std::string home = "HOME=" + directory.path();
  std::array<char*, 4> env{const_cast<char*>("PATH=/usr/local/bin:/usr/bin:/bin"),
                           const_cast<char*>("LC_ALL=C.UTF-8"), home.data(), nullptr};

  pid_t pid = 0;
  const int spawned =
      ::posix_spawn(&pid, argv[0], &setup.actions, &setup.attr, argv.data(), env.data());
  out.write.reset();
  err.write.reset();
  if (spawned != 0)
    return fail(os_error("start " + request.argv[0], spawned));

  ProcessResult result;
  std::array<Fd, 2> fds{std::move(out.read), std::move(err.read)};
  std::array<Capture, 2> captures{Capture{&result.stdout_text, request.max_output_bytes},
                                  Capture{&result.stderr_text, request.max_output_bytes}};
  const auto deadline = std::chrono::steady_clock::now() + request.timeout;
  if (!drain(fds, captures, deadline)) {
    result.timed_out = true;
    ::kill(-pid, SIGKILL);
  }
  const int status = wait_for(pid);
  result.output_truncated = captures[0].truncated || captures[1].truncated;
  if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.signal = WTERMSIG(status);
  }
  return result;
}

}  // namespace opsgraph::safety
