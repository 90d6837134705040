#pragma once
// CurlMulti — one libcurl multi handle driven by an Asio strand: curl tells it which sockets to
// watch (CURLMOPT_SOCKETFUNCTION) and when to wake it (CURLMOPT_TIMERFUNCTION); readiness and
// timer expiry call curl_multi_socket_action, and finished transfers are handed back to their
// Transfer. Connections stay in the multi's pool between transfers (keep-alive).
//
// Not thread-safe: every member runs on strand(). Shared ownership: the Transfers in flight
// hold it; the pending socket and timer waits hold only weak references.

#include <curl/curl.h>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <memory>
#include <opsgraph/core/result.hpp>
#include <opsgraph/core/task.hpp>
#include <optional>
#include <unordered_map>

namespace opsgraph::llm::http {

class Transfer;

class CurlMulti : public std::enable_shared_from_this<CurlMulti> {
 public:
  using Strand = boost::asio::strand<Executor>;

  /// A multi handle whose work runs on `strand`. internal when libcurl cannot make one.
  static result<std::shared_ptr<CurlMulti>> create(Strand strand);
  ~CurlMulti();
  CurlMulti(const CurlMulti&) = delete;
  CurlMulti& operator=(const CurlMulti&) = delete;

  const Strand& strand() const noexcept { return strand_; }

  /// Starts `transfer`; its finish() is called once it ends. The transfer must stay alive until
  /// then or until remove().
  result<void> add(Transfer& transfer);
  /// Stops `transfer` at once (its connection is closed, not reused); finish() is not called.
  void remove(Transfer& transfer) noexcept;

 private:
  struct Watch;
  enum class Direction { in, out };

  CurlMulti(Strand strand, CURLM* multi);

  static int on_socket(CURL* easy, curl_socket_t fd, int what, void* self, void* socket_data);
  static int on_timer(CURLM* multi, long timeout_ms, void* self);

  using Clock = boost::asio::steady_timer::clock_type;
  /// curl's wish: act after `timeout_ms`, at once for 0, never for -1.
  void want_timeout(long timeout_ms);
  void arm_timer(Clock::time_point deadline);
  void on_timer_fired() noexcept;

  int watch(curl_socket_t fd, int what) noexcept;
  /// Queues the waits `watch` wants and is not already waiting for.
  void arm(const std::shared_ptr<Watch>& watch);
  void wait(const std::shared_ptr<Watch>& watch, Direction direction);
  void forget(curl_socket_t fd) noexcept;
  void act(curl_socket_t fd, int events) noexcept;
  void finish_completed() noexcept;

  Strand strand_;
  CURLM* multi_;
  boost::asio::steady_timer timer_;
  /// When curl wants its timeouts handled; none when it wants nothing (or asked for "now").
  std::optional<Clock::time_point> deadline_;
  /// Whether a wait on timer_ is pending (its expiry then is timer_.expiry()).
  bool timer_waiting_ = false;
  std::unordered_map<curl_socket_t, std::shared_ptr<Watch>> watches_;
};

/// Makes sure curl_global_init has run (once per process, thread-safe).
result<void> ensure_curl_initialised();

}  // namespace opsgraph::llm::http
