// The concurrency cap: waiters queue in order without threads, time out at their deadline and
// leave the queue when cancelled.

#include "llm/http/concurrency_gate.hpp"

#include <gtest/gtest.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <optional>
#include <vector>

namespace opsgraph::llm::http {
namespace {

namespace asio = boost::asio;
using std::chrono::milliseconds;
using std::chrono::steady_clock;

/// Takes a permit, records its turn, and holds the permit until `hold` expires.
Task<void> take_and_hold(ConcurrencyGate* gate, Executor ex, int id, std::vector<int>* order,
                         asio::steady_timer* hold) {
  auto acquire = gate->acquire(ex, steady_clock::now() + std::chrono::hours{1});
  auto permit = co_await std::move(acquire);
  if (!permit)
    co_return;
  order->push_back(id);
  co_await hold->async_wait(asio::as_tuple(asio::use_awaitable));
}

/// Lets a holder go, whether it already waits on `hold` or will wait later.
void release(asio::steady_timer& hold) {
  hold.expires_at(steady_clock::time_point::min());
}

Task<void> take_once(ConcurrencyGate* gate, Executor ex, steady_clock::time_point deadline,
                     std::optional<errc>* outcome) {
  auto acquire = gate->acquire(ex, deadline);
  auto permit = co_await std::move(acquire);
  *outcome = permit ? std::nullopt : std::optional<errc>(permit.error().code);
}

TEST(ConcurrencyGateTest, ExcessCallsWaitInArrivalOrder) {
  asio::io_context io;
  ConcurrencyGate gate(2);
  std::vector<int> order;
  std::vector<std::unique_ptr<asio::steady_timer>> holds;
  for (int id = 0; id < 5; ++id) {
    holds.push_back(std::make_unique<asio::steady_timer>(io, steady_clock::time_point::max()));
    asio::co_spawn(io, take_and_hold(&gate, io.get_executor(), id, &order, holds.back().get()),
                   asio::detached);
  }
  io.poll();
  EXPECT_EQ(order, (std::vector<int>{0, 1}));
  EXPECT_EQ(gate.waiting(), 3u);
  EXPECT_EQ(gate.available(), 0);

  release(*holds[1]);  // the second holder finishes: the first waiter gets its permit
  io.poll();
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(gate.waiting(), 2u);

  for (auto& hold : holds)
    release(*hold);
  io.run();
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4}));
  EXPECT_EQ(gate.waiting(), 0u);
  EXPECT_EQ(gate.available(), 2);
}

TEST(ConcurrencyGateTest, AWaiterTimesOutAtItsDeadline) {
  asio::io_context io;
  ConcurrencyGate gate(1);
  std::vector<int> order;
  asio::steady_timer hold(io, steady_clock::time_point::max());
  asio::co_spawn(io, take_and_hold(&gate, io.get_executor(), 0, &order, &hold), asio::detached);
  std::optional<errc> outcome;
  const auto started = steady_clock::now();
  asio::co_spawn(io, take_once(&gate, io.get_executor(), started + milliseconds{50}, &outcome),
                 asio::detached);
  while (!outcome && io.run_one() > 0) {
  }
  EXPECT_EQ(outcome, errc::timeout);
  EXPECT_GE(steady_clock::now() - started, milliseconds{50});
  EXPECT_EQ(gate.waiting(), 0u);
  release(hold);
  io.run();
  EXPECT_EQ(gate.available(), 1);
}

TEST(ConcurrencyGateTest, ACancelledWaiterLeavesTheQueue) {
  asio::io_context io;
  ConcurrencyGate gate(1);
  std::vector<int> order;
  asio::steady_timer hold(io, steady_clock::time_point::max());
  asio::co_spawn(io, take_and_hold(&gate, io.get_executor(), 0, &order, &hold), asio::detached);
  std::optional<errc> outcome;
  asio::cancellation_signal cancel;
  asio::co_spawn(
      io,
      take_once(&gate, io.get_executor(), steady_clock::now() + std::chrono::hours{1}, &outcome),
      asio::bind_cancellation_slot(cancel.slot(), asio::detached));
  io.poll();
  EXPECT_EQ(gate.waiting(), 1u);
  cancel.emit(asio::cancellation_type::terminal);
  io.poll();
  EXPECT_EQ(outcome, errc::cancelled);
  EXPECT_EQ(gate.waiting(), 0u);
  release(hold);
  io.run();
  EXPECT_EQ(gate.available(), 1);  // the cancelled waiter took nothing
}

}  // namespace
}  // namespace opsgraph::llm::http
