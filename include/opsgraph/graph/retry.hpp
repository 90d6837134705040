#pragma once
// opsgraph::graph::RetryPolicy — how often and how patiently a node is tried again after a
// retryable failure. Backoff is exponential with full jitter (a uniformly random delay between
// zero and the capped exponential bound), which spreads retries of many runs apart.

#include <chrono>
#include <cstdint>
#include <opsgraph/export.hpp>

namespace opsgraph::graph {

struct RetryPolicy {
  /// Total attempts including the first; 1 means "never retry".
  int max_attempts = 1;
  /// The bound of the first retry's delay; attempt n waits up to initial * multiplier^(n-1).
  std::chrono::milliseconds initial_backoff{100};
  double multiplier = 2.0;
  /// No delay is ever longer than this.
  std::chrono::milliseconds max_backoff{10'000};

  /// The upper bound of the delay before retry number `retry` (1 for the first retry).
  OPSGRAPH_API std::chrono::milliseconds backoff_bound(int retry) const noexcept;

  /// A delay drawn uniformly from [0, backoff_bound(retry)] using `random` (any 64-bit value,
  /// e.g. from a per-run generator): the same random value always gives the same delay.
  OPSGRAPH_API std::chrono::milliseconds backoff(int retry, std::uint64_t random) const noexcept;

  /// A policy of `attempts` tries with the default backoff.
  static RetryPolicy attempts(int attempts) {
    RetryPolicy p;
    p.max_attempts = attempts;
    return p;
  }
};

}  // namespace opsgraph::graph
