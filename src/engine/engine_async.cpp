// The Engine's asynchronous forms: coroutines on the engine's executor that hold no thread while
// they wait (store calls that block go to the blocking pool).

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "engine_impl.hpp"
#include "task_records.hpp"

namespace opsgraph::engine {

namespace {

// Runs `fn` (a blocking Engine call) where blocking is allowed, keeping the engine's insides alive
// until it is done.
template <class F>
Task<opsgraph::detail::blocking_result_t<F>> off_io(std::shared_ptr<detail::EngineCore> impl,
                                                    F fn) {
  auto job = impl->on_store(std::move(fn));
  auto done = co_await std::move(job);
  co_return done;
}

}  // namespace

Task<result<coordinator::TaskSnapshot>> Engine::execute_async(ExecuteRequest request) {
  return off_io(impl_, [this, request = std::move(request)] { return execute(request); });
}

Task<result<coordinator::TaskSnapshot>> Engine::approve_async(std::string task_id,
                                                              ApproveRequest request) {
  return off_io(impl_, [this, task_id = std::move(task_id), request = std::move(request)] {
    return approve(task_id, request);
  });
}

Task<result<coordinator::TaskSnapshot>> Engine::reject_async(std::string task_id,
                                                             RejectRequest request) {
  return off_io(impl_, [this, task_id = std::move(task_id), request = std::move(request)] {
    return reject(task_id, request);
  });
}

Task<result<coordinator::TaskSnapshot>> Engine::status_async(std::string task_id) {
  return off_io(impl_, [this, task_id = std::move(task_id)] { return status(task_id); });
}

Task<result<TaskPage>> Engine::list_async(TaskQuery query) {
  return off_io(impl_, [this, query = std::move(query)] { return list(query); });
}

Task<result<coordinator::TaskSnapshot>> Engine::cancel_async(std::string task_id,
                                                             std::string actor) {
  return off_io(impl_, [this, task_id = std::move(task_id), actor = std::move(actor)] {
    return cancel(task_id, actor);
  });
}

Task<result<coordinator::TaskSnapshot>> Engine::retry_async(std::string task_id,
                                                            std::string actor) {
  return off_io(impl_, [this, task_id = std::move(task_id), actor = std::move(actor)] {
    return retry(task_id, actor);
  });
}

Task<result<std::vector<TaskEvent>>> Engine::events_async(std::string task_id,
                                                          std::uint64_t after_seq,
                                                          std::size_t limit) {
  return off_io(impl_, [this, task_id = std::move(task_id), after_seq, limit] {
    return events(task_id, after_seq, limit);
  });
}

Task<result<store::TaskCounts>> Engine::count_tasks_async() {
  return off_io(impl_, [this] { return count_tasks(); });
}

Executor Engine::executor() const noexcept {
  return impl_->runtime->executor();
}

Task<result<coordinator::TaskSnapshot>> Engine::wait_async(std::string task_id, WaitFor what,
                                                           std::chrono::milliseconds timeout) {
  auto impl = impl_;
  constexpr std::chrono::milliseconds kRecheck{200};
  const auto until = std::chrono::steady_clock::now() + timeout;
  // Shared with the wake-up, which may fire on another thread after this coroutine moved on.
  auto timer =
      std::make_shared<boost::asio::steady_timer>(co_await boost::asio::this_coro::executor);
  for (;;) {
    // Arm the wake-up before looking, so that a change between the look and the wait is seen.
    // A timer is not thread-safe: the cancel runs on the timer's own executor.
    auto handle = impl->notifier.on_next_change(task_id, [timer] {
      boost::asio::post(timer->get_executor(), [timer] { timer->cancel(); });
    });
    auto look = impl->on_store([this, task_id] { return status(task_id); });
    auto task = co_await std::move(look);
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        until - std::chrono::steady_clock::now());
    if (!task || left <= std::chrono::milliseconds{0}) {
      impl->notifier.forget(handle);
      co_return task;
    }
    if (detail::reached(task.value(), what)) {
      impl->notifier.forget(handle);
      co_return task;
    }
    timer->expires_after(std::min(left, kRecheck));
    co_await timer->async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
    impl->notifier.forget(handle);
  }
}

}  // namespace opsgraph::engine
