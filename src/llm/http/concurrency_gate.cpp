#include "llm/http/concurrency_gate.hpp"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace opsgraph::llm::http {

namespace asio = boost::asio;

ConcurrencyGate::Permit& ConcurrencyGate::Permit::operator=(Permit&& other) noexcept {
  if (this != &other) {
    if (gate_ != nullptr)
      gate_->release();
    gate_ = std::exchange(other.gate_, nullptr);
  }
  return *this;
}

ConcurrencyGate::Permit::~Permit() {
  if (gate_ != nullptr)
    gate_->release();
}

Task<result<ConcurrencyGate::Permit>> ConcurrencyGate::acquire(
    Executor strand, std::chrono::steady_clock::time_point deadline) {
  if (free_ > 0 && waiters_.empty()) {
    --free_;
    co_return Permit(this);
  }
  Waiter waiter(*this, strand, deadline);
  auto [ec] = co_await waiter.timer.async_wait(asio::as_tuple(asio::use_awaitable));
  if (!waiter.granted) {
    if (!ec)
      co_return make_error(errc::timeout,
                           "timed out waiting for a free slot (max_concurrent calls in flight)");
    co_return make_error(errc::cancelled, "cancelled while waiting for a free slot");
  }
  Permit permit(this);
  // A grant and a cancellation can race; the cancellation wins and the permit goes back.
  const auto state = co_await asio::this_coro::cancellation_state;
  if (state.cancelled() != asio::cancellation_type::none)
    co_return make_error(errc::cancelled, "cancelled while waiting for a free slot");
  co_return std::move(permit);
}

ConcurrencyGate::Waiter::Waiter(ConcurrencyGate& owner, const Executor& strand,
                                std::chrono::steady_clock::time_point deadline)
    : gate(owner), timer(strand, deadline) {
  gate.waiters_.push_back(this);
}

ConcurrencyGate::Waiter::~Waiter() {
  std::erase(gate.waiters_, this);
}

void ConcurrencyGate::release() noexcept {
  if (waiters_.empty()) {
    ++free_;
    return;
  }
  Waiter* next = waiters_.front();
  waiters_.pop_front();
  next->granted = true;
  next->timer.cancel();
}

}  // namespace opsgraph::llm::http
