#pragma once
// Store calls the engine must not lose to a brief outage (a database restarting, a failover):
// tried again with backoff while they fail with a retryable error.

#include <algorithm>
#include <chrono>
#include <opsgraph/core/log.hpp>
#include <string_view>
#include <thread>

namespace opsgraph::engine::detail {

/// How long a store call is retried before its error is let through.
inline constexpr std::chrono::milliseconds kStoreRetryFor{30'000};

/// Calls `call` (returning a result) until it succeeds, fails with an error that is not
/// retryable, or kStoreRetryFor has passed, sleeping 100 ms, doubling to 2 s, between attempts;
/// each retry is logged as `what` of `task_id`. Blocks: call it from a blocking thread.
template <class Call>
auto retry_through_outage(const Logger& logger, std::string_view what, std::string_view task_id,
                          Call call) -> decltype(call()) {
  const auto deadline = std::chrono::steady_clock::now() + kStoreRetryFor;
  auto backoff = std::chrono::milliseconds{100};
  for (;;) {
    auto done = call();
    if (done || !done.error().retryable || std::chrono::steady_clock::now() >= deadline)
      return done;
    logger.warn("engine", std::string("retrying: ") + std::string(what),
                {{"task", task_id}, {"error", done.error().message}});
    std::this_thread::sleep_for(backoff);
    backoff = std::min(backoff * 2, std::chrono::milliseconds{2000});
  }
}

}  // namespace opsgraph::engine::detail
