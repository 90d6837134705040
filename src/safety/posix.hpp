#pragma once
// The small POSIX pieces the checker's process code shares: a file descriptor that closes itself,
// posix_spawn's setup objects, and an errno turned into an opsgraph Error. Private to src/safety.

#include <spawn.h>
#include <unistd.h>

#include <opsgraph/core/error.hpp>
#include <string_view>
#include <system_error>
#include <utility>

namespace opsgraph::safety::detail {

/// Owns one file descriptor (-1: none) and closes it when destroyed or reset.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) noexcept : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&& other) noexcept {
    reset();
    fd_ = std::exchange(other.fd_, -1);
    return *this;
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { reset(); }
  int get() const noexcept { return fd_; }
  void reset() noexcept {
    if (fd_ >= 0)
      ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

/// posix_spawn's attribute and file-action objects, destroyed on every path.
struct SpawnSetup {
  posix_spawnattr_t attr;
  posix_spawn_file_actions_t actions;
  SpawnSetup() {
    posix_spawnattr_init(&attr);
    posix_spawn_file_actions_init(&actions);
  }
  ~SpawnSetup() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;
};

/// The Error of a failed system call: `context` says what was being done.
inline Error os_error(std::string_view context, int error_number) {
  return error_from(std::error_code(error_number, std::system_category()), context);
}

}  // namespace opsgraph::safety::detail
