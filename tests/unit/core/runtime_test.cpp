#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <future>
#include <opsgraph/core/runtime.hpp>
#include <thread>

namespace opsgraph {
namespace {

using namespace std::chrono_literals;
namespace asio = boost::asio;

Task<result<int>> add_on_pool(BlockingPool& pool, int a, int b) {
  auto job = pool.run([a, b] { return a + b; });
  co_return co_await std::move(job);
}

TEST(RuntimeTest, RunsACoroutineToItsResult) {
  Runtime rt(Runtime::Options{.io_threads = 2, .blocking_threads = 1});
  EXPECT_EQ(rt.io_threads(), 2u);
  auto r = rt.run(add_on_pool(rt.blocking(), 2, 3));
  ASSERT_TRUE(r);
  EXPECT_EQ(r.value(), 5);
}

Task<result<std::thread::id>> pool_thread(BlockingPool& pool) {
  co_return co_await pool.run([] { return std::this_thread::get_id(); });
}

TEST(BlockingPoolTest, RunsOffTheCallingThread) {
  Runtime rt(Runtime::Options{.io_threads = 1, .blocking_threads = 1});
  auto id = rt.run(pool_thread(rt.blocking()));
  ASSERT_TRUE(id);
  EXPECT_NE(id.value(), std::this_thread::get_id());
}

Task<result<int>> throwing_job(BlockingPool& pool) {
  co_return co_await pool.run([]() -> int { throw std::runtime_error("disk on fire"); });
}

TEST(BlockingPoolTest, AnEscapingExceptionBecomesAnInternalError) {
  Runtime rt(Runtime::Options{.io_threads = 1, .blocking_threads = 1});
  auto r = rt.run(throwing_job(rt.blocking()));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::internal);
  EXPECT_NE(r.error().message.find("disk on fire"), std::string::npos);
}

// co_spawn cannot carry a result<T> (it default-constructs the value): report through a promise.
Task<void> wait_for_slow_job(BlockingPool& pool, std::shared_ptr<std::atomic<bool>> ran,
                             std::promise<result<void>>* done) {
  auto job = pool.run([ran] {
    std::this_thread::sleep_for(1500ms);
    ran->store(true);
  });
  done->set_value(co_await std::move(job));
}

TEST(BlockingPoolTest, CancellingTheWaiterResumesItAtOnce) {
  Runtime rt(Runtime::Options{.io_threads = 1, .blocking_threads = 1});
  auto ran = std::make_shared<std::atomic<bool>>(false);
  asio::cancellation_signal signal;
  std::promise<result<void>> done;
  auto started = std::chrono::steady_clock::now();
  asio::co_spawn(rt.executor(), wait_for_slow_job(rt.blocking(), ran, &done),
                 asio::bind_cancellation_slot(signal.slot(), asio::detached));
  std::this_thread::sleep_for(20ms);
  asio::post(rt.executor(), [&] { signal.emit(asio::cancellation_type::terminal); });
  auto r = done.get_future().get();
  auto waited = std::chrono::steady_clock::now() - started;
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::cancelled);
  EXPECT_LT(waited, 1000ms);  // well before the job's 1.5 s
  EXPECT_FALSE(ran->load());  // the job goes on by itself, owning what it captured
}

Task<void> throw_logic_error() {
  throw std::logic_error("bug");
  co_return;
}

TEST(SpawnTest, HandsAnEscapingExceptionToTheCallback) {
  Runtime rt(Runtime::Options{.io_threads = 1, .blocking_threads = 1});
  std::promise<std::string> what;
  spawn(rt.executor(), throw_logic_error(), [&](std::exception_ptr e) {
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      what.set_value(ex.what());
    }
  });
  EXPECT_EQ(what.get_future().get(), "bug");
}

}  // namespace
}  // namespace opsgraph
