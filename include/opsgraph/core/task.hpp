#pragma once
// opsgraph::Task<T> — the coroutine type of opsgraph: an alias of boost::asio::awaitable<T>, so
// opsgraph's coroutines compose with any Asio code. Only <boost/asio/awaitable.hpp> is included
// here; the rest of Asio stays in opsgraph's compiled sources.

#include <boost/asio/awaitable.hpp>

namespace opsgraph {

/// A lazily started coroutine producing T. Await it (`co_await t`) from another Task.
template <class T = void>
using Task = boost::asio::awaitable<T>;

/// A type-erased Asio executor: where a Task runs.
using Executor = boost::asio::any_io_executor;

}  // namespace opsgraph

// g++ 12 warns -Wmismatched-new-delete on every Asio coroutine frame at -O1 and above (GCC bug
// 109224: it cannot pair the frame's class-specific operator new and delete). These bracket the
// coroutines defined in opsgraph's headers, so that users building with -Werror stay clean.
#if defined(__GNUC__) && !defined(__clang__)
#define OPSGRAPH_COROUTINES_BEGIN \
  _Pragma("GCC diagnostic push") _Pragma("GCC diagnostic ignored \"-Wmismatched-new-delete\"")
#define OPSGRAPH_COROUTINES_END _Pragma("GCC diagnostic pop")
#else
#define OPSGRAPH_COROUTINES_BEGIN
#define OPSGRAPH_COROUTINES_END
#endif
