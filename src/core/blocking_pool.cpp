#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/cancellation_type.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <opsgraph/core/blocking_pool.hpp>
#include <optional>

namespace opsgraph {

namespace asio = boost::asio;

namespace detail {
Error blocking_job_threw() {
  return error_from_current_exception("blocking job");
}
}  // namespace detail

struct BlockingPool::Impl {
  explicit Impl(std::size_t threads) : pool(threads), size(threads) {}
  asio::thread_pool pool;
  std::size_t size;
};

namespace {

// One submission: whichever comes first, the job finishing or the awaiting coroutine being
// cancelled, completes the handler; the other finds `done` set and does nothing.
template <class Handler>
struct Submission {
  explicit Submission(Handler h)
      : handler(std::move(h)),
        work(asio::prefer(asio::get_associated_executor(*handler),
                          asio::execution::outstanding_work.tracked)) {}

  void complete(boost::system::error_code ec) {
    if (done.exchange(true, std::memory_order_acq_rel))
      return;
    auto ex = asio::get_associated_executor(*handler);
    asio::post(ex, [h = std::move(*handler), ec]() mutable { std::move(h)(ec); });
    handler.reset();
    work = {};
  }

  std::atomic<bool> done{false};
  std::optional<Handler> handler;
  decltype(asio::prefer(std::declval<asio::associated_executor_t<Handler>>(),
                        asio::execution::outstanding_work.tracked)) work;
};

template <class Token>
auto async_submit(asio::thread_pool& pool, std::shared_ptr<detail::BlockingJob> job,
                  Token&& token) {
  return asio::async_initiate<Token, void(boost::system::error_code)>(
      [&pool](auto handler, std::shared_ptr<detail::BlockingJob> job) {
        using State = Submission<decltype(handler)>;
        auto state = std::make_shared<State>(std::move(handler));
        auto slot = asio::get_associated_cancellation_slot(*state->handler);
        if (slot.is_connected()) {
          slot.assign([state](asio::cancellation_type) {
            state->complete(asio::error::operation_aborted);
          });
        }
        asio::post(pool, [state, job = std::move(job)] {
          job->execute();
          state->complete({});
        });
      },
      token, std::move(job));
}

}  // namespace

BlockingPool::BlockingPool(std::size_t threads)
    : impl_(std::make_unique<Impl>(threads == 0 ? 1 : threads)) {}

BlockingPool::~BlockingPool() {
  impl_->pool.join();
}

std::size_t BlockingPool::size() const noexcept {
  return impl_->size;
}

Task<result<void>> BlockingPool::submit(std::shared_ptr<detail::BlockingJob> job) {
  auto [ec] =
      co_await async_submit(impl_->pool, std::move(job), asio::as_tuple(asio::use_awaitable));
  if (ec)
    co_return error_from(ec, "waiting for a blocking job");
  co_return ok();
}

}  // namespace opsgraph
