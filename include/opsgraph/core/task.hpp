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
