#include "llm/http/curl_multi.hpp"

#include <poll.h>

#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <mutex>

#include "llm/http/curl_error.hpp"
#include "llm/http/transfer.hpp"

namespace opsgraph::llm::http {

namespace asio = boost::asio;

/// One socket curl asked to watch. The descriptor never owns the fd: curl opens and closes its
/// sockets, so the descriptor is released (not closed) when curl forgets the socket.
struct CurlMulti::Watch {
  Watch(const Strand& strand, curl_socket_t socket) : fd(socket), descriptor(strand, socket) {}
  ~Watch() {
    if (!released)
      descriptor.release();
  }

  curl_socket_t fd;
  asio::posix::stream_descriptor descriptor;
  int want = CURL_POLL_NONE;
  bool reading = false;
  bool writing = false;
  bool released = false;
};

namespace {

/// Which of `events` (POLLIN/POLLOUT) the socket is ready for right now, as CURL_CSELECT bits.
int ready_now(curl_socket_t fd, short events) noexcept {
  pollfd probe{fd, events, 0};
  if (::poll(&probe, 1, 0) <= 0)
    return 0;
  int ready = 0;
  if (probe.revents & (POLLIN | POLLHUP | POLLERR))
    ready |= CURL_CSELECT_IN;
  if (probe.revents & (POLLOUT | POLLERR))
    ready |= CURL_CSELECT_OUT;
  return ready;
}

}  // namespace

result<void> ensure_curl_initialised() {
  static std::once_flag once;
  static CURLcode code = CURLE_OK;
  std::call_once(once, [] { code = curl_global_init(CURL_GLOBAL_DEFAULT); });
  if (code != CURLE_OK)
    return curl_setup_error("curl_global_init", curl_easy_strerror(code));
  return ok();
}

result<std::shared_ptr<CurlMulti>> CurlMulti::create(Strand strand) {
  OPSGRAPH_TRY(ensure_curl_initialised());
  CURLM* multi = curl_multi_init();
  if (multi == nullptr)
    return curl_setup_error("curl_multi_init", "out of memory");
  std::shared_ptr<CurlMulti> self(new CurlMulti(std::move(strand), multi));
  curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, &CurlMulti::on_socket);
  curl_multi_setopt(multi, CURLMOPT_SOCKETDATA, self.get());
  curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, &CurlMulti::on_timer);
  curl_multi_setopt(multi, CURLMOPT_TIMERDATA, self.get());
  return self;
}

CurlMulti::CurlMulti(Strand strand, CURLM* multi)
    : strand_(std::move(strand)), multi_(multi), timer_(strand_) {}

CurlMulti::~CurlMulti() {
  // Closing pooled connections may still report sockets to forget, so the watches go last.
  curl_multi_cleanup(multi_);
  for (auto& [fd, watch] : watches_) {
    watch->released = true;
    watch->descriptor.release();
  }
}

result<void> CurlMulti::add(Transfer& transfer) {
  const CURLMcode code = curl_multi_add_handle(multi_, transfer.easy());
  if (code != CURLM_OK)
    return curl_setup_error("curl_multi_add_handle", curl_multi_strerror(code));
  return ok();
}

void CurlMulti::remove(Transfer& transfer) noexcept {
  curl_multi_remove_handle(multi_, transfer.easy());
}

int CurlMulti::on_socket(CURL*, curl_socket_t fd, int what, void* self, void*) {
  auto* multi = static_cast<CurlMulti*>(self);
  if (what == CURL_POLL_REMOVE) {
    multi->forget(fd);
    return 0;
  }
  return multi->watch(fd, what);
}

int CurlMulti::on_timer(CURLM*, long timeout_ms, void* self) {
  static_cast<CurlMulti*>(self)->want_timeout(timeout_ms);
  return 0;
}

// curl moves its deadline at nearly every socket action, mostly later (a transfer ends, a newer
// one adds a later deadline). Re-arming the timer each time would reprogram the reactor's
// timerfd each time, a system call that costs dearly in a virtual machine; instead the timer is
// re-armed only when the deadline comes earlier, and a timer that fires before a deadline that
// has moved later simply waits again. Never acts from inside the callback (curl forbids
// re-entry): a zero timeout is a post to the strand.
void CurlMulti::want_timeout(long timeout_ms) {
  if (timeout_ms < 0) {
    deadline_.reset();  // a pending wait finds nothing to do
    return;
  }
  if (timeout_ms == 0) {
    deadline_.reset();
    asio::post(strand_, [weak = weak_from_this()] {
      if (auto self = weak.lock())
        self->act(CURL_SOCKET_TIMEOUT, 0);
    });
    return;
  }
  const auto deadline = Clock::now() + std::chrono::milliseconds{timeout_ms};
  deadline_ = deadline;
  if (!timer_waiting_ || deadline < timer_.expiry())
    arm_timer(deadline);
}

void CurlMulti::arm_timer(Clock::time_point deadline) {
  timer_.expires_at(deadline);  // cancels a pending wait, whose handler then does nothing
  timer_waiting_ = true;
  timer_.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
    if (ec)
      return;
    if (auto self = weak.lock())
      self->on_timer_fired();
  });
}

void CurlMulti::on_timer_fired() noexcept {
  timer_waiting_ = false;
  if (!deadline_)
    return;
  if (*deadline_ > Clock::now()) {
    arm_timer(*deadline_);  // the deadline moved later since the timer was armed
    return;
  }
  deadline_.reset();
  act(CURL_SOCKET_TIMEOUT, 0);
}

int CurlMulti::watch(curl_socket_t fd, int what) noexcept {
  try {
    auto& watch = watches_[fd];
    if (!watch)
      watch = std::make_shared<Watch>(strand_, fd);
    watch->want = what;
    arm(watch);
    return 0;
  } catch (...) {
    // The reactor refused the socket (or memory ran out): curl fails this transfer.
    watches_.erase(fd);
    return -1;
  }
}

void CurlMulti::arm(const std::shared_ptr<Watch>& watch) {
  short probe = 0;
  if ((watch->want & CURL_POLL_IN) && !watch->reading) {
    wait(watch, Direction::in);
    probe |= POLLIN;
  }
  if ((watch->want & CURL_POLL_OUT) && !watch->writing) {
    wait(watch, Direction::out);
    probe |= POLLOUT;
  }
  // Asio's epoll reactor is edge-triggered and its waits are not speculative: readiness that
  // arrived before a wait was queued would never be reported. Probing after queueing closes
  // that window; a wait that later fires as well only costs curl an EAGAIN.
  if (probe == 0)
    return;
  if (const int ready = ready_now(watch->fd, probe); ready != 0) {
    asio::post(strand_, [weak = weak_from_this(), watch, ready] {
      if (watch->released)
        return;
      if (auto self = weak.lock())
        self->act(watch->fd, ready);
    });
  }
}

void CurlMulti::wait(const std::shared_ptr<Watch>& watch, Direction direction) {
  const bool in = direction == Direction::in;
  (in ? watch->reading : watch->writing) = true;
  watch->descriptor.async_wait(
      in ? asio::posix::stream_descriptor::wait_read : asio::posix::stream_descriptor::wait_write,
      [weak = weak_from_this(), watch, in](boost::system::error_code ec) {
        (in ? watch->reading : watch->writing) = false;
        if (ec || watch->released)
          return;
        if (auto self = weak.lock()) {
          self->act(watch->fd, in ? CURL_CSELECT_IN : CURL_CSELECT_OUT);
          if (!watch->released)
            self->arm(watch);
        }
      });
}

void CurlMulti::forget(curl_socket_t fd) noexcept {
  const auto it = watches_.find(fd);
  if (it == watches_.end())
    return;
  // Releasing cancels the pending waits; their handlers see `released` and leave the fd alone,
  // even if curl reuses the number for a new socket.
  it->second->released = true;
  it->second->descriptor.release();
  watches_.erase(it);
}

void CurlMulti::act(curl_socket_t fd, int events) noexcept {
  int running = 0;
  curl_multi_socket_action(multi_, fd, events, &running);
  finish_completed();
}

void CurlMulti::finish_completed() noexcept {
  int queued = 0;
  while (CURLMsg* message = curl_multi_info_read(multi_, &queued)) {
    if (message->msg != CURLMSG_DONE)
      continue;
    CURL* easy = message->easy_handle;
    const CURLcode code = message->data.result;
    void* owner = nullptr;
    curl_easy_getinfo(easy, CURLINFO_PRIVATE, &owner);
    curl_multi_remove_handle(multi_, easy);
    if (owner != nullptr)
      static_cast<Transfer*>(owner)->finish(code);
  }
}

}  // namespace opsgraph::llm::http
