#pragma once
// opsgraph::Runtime — the threads that run opsgraph's coroutines: one io_context driven by N
// threads, plus a BlockingPool for work that blocks. An Engine or a graph Runner owns one;
// programs that already have an Asio executor can use theirs instead.
//
// Thread-safe. The destructor stops the io threads (pending coroutines are destroyed, never
// resumed) and joins every thread: destroy a Runtime only when its work is finished or abandoned.

#include <cstddef>
#include <functional>
#include <future>
#include <memory>
#include <opsgraph/core/blocking_pool.hpp>
#include <opsgraph/core/result.hpp>
#include <opsgraph/core/task.hpp>
#include <opsgraph/export.hpp>

namespace opsgraph {

/// Starts `task` on `ex` and returns at once. An exception escaping the task (a bug: tasks report
/// failures as results) is handed to `on_exception` when given, and otherwise dropped.
OPSGRAPH_API void spawn(Executor ex, Task<void> task,
                        std::function<void(std::exception_ptr)> on_exception = {});

namespace detail {
OPSGRAPH_COROUTINES_BEGIN
template <class T>
Task<void> fulfil(Task<result<T>> task, std::shared_ptr<std::promise<result<T>>> promise) {
  try {
    promise->set_value(co_await std::move(task));
  } catch (...) {
    promise->set_value(error_from_current_exception("block_on"));
  }
}
OPSGRAPH_COROUTINES_END
}  // namespace detail

/// Runs `task` on `ex` and blocks the calling thread until it finishes. Never call it from a
/// thread that drives `ex`: that thread would wait on itself.
template <class T>
result<T> block_on(Executor ex, Task<result<T>> task) {
  auto promise = std::make_shared<std::promise<result<T>>>();
  auto done = promise->get_future();
  spawn(std::move(ex), detail::fulfil<T>(std::move(task), promise));
  return done.get();
}

class OPSGRAPH_API Runtime {
 public:
  struct Options {
    /// Threads driving the io_context; 0 means std::thread::hardware_concurrency().
    std::size_t io_threads = 0;
    /// Threads of the blocking pool.
    std::size_t blocking_threads = 4;
  };

  Runtime();
  explicit Runtime(Options options);
  ~Runtime();
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;

  /// Where coroutines run. Valid for the Runtime's lifetime.
  Executor executor() const noexcept;
  BlockingPool& blocking() noexcept;
  std::size_t io_threads() const noexcept;

  /// Runs `task` on this runtime and waits for it (see block_on).
  template <class T>
  result<T> run(Task<result<T>> task) {
    return block_on<T>(executor(), std::move(task));
  }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace opsgraph
