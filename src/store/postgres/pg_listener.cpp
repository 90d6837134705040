#include "store/postgres/pg_listener.hpp"

#include <fcntl.h>
#include <libpq-fe.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "store/postgres/pg_schema.hpp"

namespace opsgraph::store::detail::pg {

Listener::Listener(ConnectSettings settings) : settings_(std::move(settings)) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC | O_NONBLOCK) == 0) {
    wake_read_ = fds[0];
    wake_write_ = fds[1];
  }
  thread_ = std::thread([this] { run(); });
}

Listener::~Listener() {
  stop_.store(true);
  if (wake_write_ >= 0) {
    char byte = 1;
    (void)!::write(wake_write_, &byte, 1);
  }
  thread_.join();
  if (wake_read_ >= 0)
    ::close(wake_read_);
  if (wake_write_ >= 0)
    ::close(wake_write_);
}

std::uint64_t Listener::generation() {
  std::lock_guard lock(mutex_);
  return generation_;
}

bool Listener::listening() {
  std::lock_guard lock(mutex_);
  return listening_;
}

void Listener::wait_started(SteadyTime deadline) {
  std::unique_lock lock(mutex_);
  changed_.wait_until(lock, deadline, [&] { return started_; });
}

bool Listener::wait_for_change(std::uint64_t seen, SteadyTime deadline) {
  std::unique_lock lock(mutex_);
  return changed_.wait_until(lock, deadline, [&] { return generation_ != seen; });
}

std::uint64_t Listener::add_watcher(std::function<void()> on_change) {
  std::lock_guard lock(watchers_mutex_);
  const auto id = next_watcher_++;
  watchers_.emplace(id, std::move(on_change));
  return id;
}

void Listener::remove_watcher(std::uint64_t id) {
  std::lock_guard lock(watchers_mutex_);
  watchers_.erase(id);
}

void Listener::call_watchers() {
  std::lock_guard lock(watchers_mutex_);
  for (const auto& [id, on_change] : watchers_)
    on_change();
}

void Listener::bump() {
  {
    std::lock_guard lock(mutex_);
    ++generation_;
  }
  changed_.notify_all();
  call_watchers();
}

void Listener::set_listening(bool listening, bool bump_generation) {
  {
    std::lock_guard lock(mutex_);
    listening_ = listening;
    started_ = true;
  }
  if (bump_generation)
    bump();
  else
    changed_.notify_all();
}

void Listener::pause_for(std::chrono::milliseconds pause) {
  pollfd watched{wake_read_, POLLIN, 0};
  (void)::poll(&watched, 1, static_cast<int>(pause.count()));
}

void Listener::run() {
  // One attempt at a time with an interruptible pause between them, so that destroying the
  // store never waits for a backoff.
  auto backoff = settings_.backoff_min;
  while (!stop_.load()) {
    auto connected =
        Connection::connect(settings_.conninfo, settings_.schema, settings_.connect_timeout);
    if (!connected) {
      set_listening(false, false);
      pause_for(backoff);
      backoff = std::min(backoff * 2, settings_.backoff_max);
      continue;
    }
    backoff = settings_.backoff_min;
    listen_on(*connected.value());
  }
}

void Listener::listen_on(Connection& connection) {
  if (!connection.exec("LISTEN " + std::string(kWorkChannel), "listen for work"))
    return;
  // After a loss, notifications may have been missed: wake the waiters to look.
  set_listening(true, ever_listened_);
  ever_listened_ = true;
  PGconn* conn = connection.handle();
  while (!stop_.load()) {
    pollfd watched[2] = {{connection.socket(), POLLIN, 0}, {wake_read_, POLLIN, 0}};
    int ready = ::poll(watched, wake_read_ >= 0 ? 2 : 1, wake_read_ >= 0 ? -1 : 200);
    if (ready < 0 && errno != EINTR)
      break;
    if (ready <= 0 || (watched[0].revents & (POLLIN | POLLERR | POLLHUP)) == 0)
      continue;
    if (PQconsumeInput(conn) == 0)
      break;
    bool ours = false;
    while (PGnotify* notify = PQnotifies(conn)) {
      if (kWorkChannel == notify->relname && settings_.schema == notify->extra)
        ours = true;
      PQfreemem(notify);
    }
    if (ours)
      bump();
    if (PQstatus(conn) != CONNECTION_OK)
      break;
  }
  set_listening(false, !stop_.load());
}

}  // namespace opsgraph::store::detail::pg
