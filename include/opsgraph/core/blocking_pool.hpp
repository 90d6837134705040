#pragma once
// opsgraph::BlockingPool — threads for work that blocks (SQLite commits, subprocesses, plain
// synchronous graph nodes), so the io threads that drive coroutines never wait on it.
//
// Thread-safe. run() may be awaited from any executor; the awaiting coroutine resumes on its own
// executor. The destructor finishes the jobs already queued, then joins the threads.

#include <cstddef>
#include <memory>
#include <opsgraph/core/result.hpp>
#include <opsgraph/core/task.hpp>
#include <opsgraph/export.hpp>
#include <optional>
#include <type_traits>

namespace opsgraph {

namespace detail {

/// One unit of blocking work, shared between the pool and the awaiting coroutine so that it
/// outlives whichever of them finishes last.
struct BlockingJob {
  virtual ~BlockingJob() = default;
  virtual void execute() noexcept = 0;
};

template <class R>
struct is_result : std::false_type {};
template <class T>
struct is_result<result<T>> : std::true_type {};

/// run(f) yields F's own result<T> if it returns one, else result<R> (result<void> for void).
template <class F, class R = std::invoke_result_t<F&>>
using blocking_result_t = std::conditional_t<is_result<R>::value, R, result<R>>;

template <class F>
struct FunctionJob final : BlockingJob {
  using Result = blocking_result_t<F>;
  explicit FunctionJob(F f) : fn(std::move(f)) {}
  void execute() noexcept override;
  F fn;
  std::optional<Result> out;
};

OPSGRAPH_API Error blocking_job_threw();

template <class F>
void FunctionJob<F>::execute() noexcept {
  try {
    if constexpr (std::is_void_v<std::invoke_result_t<F&>>) {
      fn();
      out.emplace(ok());
    } else {
      out.emplace(fn());
    }
  } catch (...) {
    out.emplace(blocking_job_threw());
  }
}

}  // namespace detail

class OPSGRAPH_API BlockingPool {
 public:
  /// Starts `threads` threads (at least one).
  explicit BlockingPool(std::size_t threads);
  ~BlockingPool();
  BlockingPool(const BlockingPool&) = delete;
  BlockingPool& operator=(const BlockingPool&) = delete;

  /// Runs f() on a pool thread and yields what it returned, as a result (an escaping exception
  /// becomes errc::internal). If the awaiting coroutine is cancelled first it resumes at once
  /// with errc::cancelled; f still runs to its end on the job's own copy of what it captured.
  ///
  /// With g++ 12, make the task first and await it in a second statement
  /// (`auto job = pool.run([x] {...}); co_await std::move(job);`): a capturing lambda written
  /// inside a co_await expression is destroyed twice by that compiler.
  template <class F>
  Task<detail::blocking_result_t<F>> run(F f) {
    return await_job(std::make_shared<detail::FunctionJob<F>>(std::move(f)));
  }

  /// The type-erased form of run(): completes when `job` has executed.
  Task<result<void>> submit(std::shared_ptr<detail::BlockingJob> job);

  std::size_t size() const noexcept;

 private:
  OPSGRAPH_COROUTINES_BEGIN
  template <class Job>
  Task<typename Job::Result> await_job(std::shared_ptr<Job> job) {
    if (auto queued = co_await submit(job); !queued)
      co_return queued.error();
    co_return std::move(*job->out);
  }
  OPSGRAPH_COROUTINES_END

  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace opsgraph
