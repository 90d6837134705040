#pragma once
// ConcurrencyGate — at most N calls of a provider in flight; the others wait in arrival order,
// each suspended on a timer (no thread). Not thread-safe: every member, and the destruction of
// every Permit, runs on the strand given to acquire(). The gate must outlive its permits.
// Private to src/llm/http; exported only so that the unit tests can reach it.

#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstddef>
#include <deque>
#include <opsgraph/core/result.hpp>
#include <opsgraph/core/task.hpp>
#include <opsgraph/export.hpp>

namespace opsgraph::llm::http {

class OPSGRAPH_API ConcurrencyGate {
 public:
  /// Held while a call is in flight; destroying it lets the next waiter in.
  class Permit {
   public:
    Permit() = default;
    explicit Permit(ConcurrencyGate* gate) noexcept : gate_(gate) {}
    Permit(Permit&& other) noexcept : gate_(std::exchange(other.gate_, nullptr)) {}
    Permit& operator=(Permit&& other) noexcept;
    ~Permit();

   private:
    ConcurrencyGate* gate_ = nullptr;
  };

  explicit ConcurrencyGate(int permits) noexcept : free_(permits) {}
  ConcurrencyGate(const ConcurrencyGate&) = delete;
  ConcurrencyGate& operator=(const ConcurrencyGate&) = delete;

  /// A permit, once one is free. errc::timeout when `deadline` passes first, errc::cancelled
  /// when the awaiting coroutine is cancelled. Run it on `strand`.
  Task<result<Permit>> acquire(Executor strand, std::chrono::steady_clock::time_point deadline);

  std::size_t waiting() const noexcept { return waiters_.size(); }
  int available() const noexcept { return free_; }

 private:
  /// One suspended acquire(). It leaves the queue when it goes away, even if its coroutine is
  /// destroyed without resuming (an io_context shutting down).
  struct Waiter {
    Waiter(ConcurrencyGate& gate, const Executor& strand,
           std::chrono::steady_clock::time_point deadline);
    ~Waiter();
    Waiter(const Waiter&) = delete;
    Waiter& operator=(const Waiter&) = delete;

    ConcurrencyGate& gate;
    boost::asio::steady_timer timer;
    bool granted = false;
  };

  void release() noexcept;

  int free_;
  std::deque<Waiter*> waiters_;
};

}  // namespace opsgraph::llm::http
