#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <opsgraph/core/runtime.hpp>
#include <thread>
#include <vector>

namespace opsgraph {

namespace asio = boost::asio;

void spawn(Executor ex, Task<void> task, std::function<void(std::exception_ptr)> on_exception) {
  // Posted rather than co_spawned here: called on one of ex's own threads, co_spawn would run
  // the task up to its first suspension before returning, nested in the caller's work.
  asio::post(ex, [ex, task = std::move(task), on_exception = std::move(on_exception)]() mutable {
    asio::co_spawn(std::move(ex), std::move(task),
                   [on_exception = std::move(on_exception)](std::exception_ptr e) {
                     if (e && on_exception)
                       on_exception(e);
                   });
  });
}

struct Runtime::Impl {
  explicit Impl(const Options& options)
      : io(static_cast<int>(io_thread_count(options))),
        guard(asio::make_work_guard(io)),
        blocking(options.blocking_threads) {
    const auto n = io_thread_count(options);
    threads.reserve(n);
    for (std::size_t i = 0; i < n; ++i)
      threads.emplace_back([this] { io.run(); });
  }

  ~Impl() {
    guard.reset();
    io.stop();
    for (auto& t : threads)
      t.join();
  }

  static std::size_t io_thread_count(const Options& options) {
    if (options.io_threads != 0)
      return options.io_threads;
    return std::max(1u, std::thread::hardware_concurrency());
  }

  // Declaration order is destruction order in reverse: the blocking pool is joined before the
  // io_context that its completions post to is destroyed.
  asio::io_context io;
  asio::executor_work_guard<asio::io_context::executor_type> guard;
  BlockingPool blocking;
  std::vector<std::thread> threads;
};

Runtime::Runtime() : Runtime(Options{}) {}
Runtime::Runtime(Options options) : impl_(std::make_unique<Impl>(options)) {}
Runtime::~Runtime() = default;

Executor Runtime::executor() const noexcept {
  return impl_->io.get_executor();
}
BlockingPool& Runtime::blocking() noexcept {
  return impl_->blocking;
}
std::size_t Runtime::io_threads() const noexcept {
  return impl_->threads.size();
}

}  // namespace opsgraph
