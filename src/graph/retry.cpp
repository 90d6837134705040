#include <algorithm>
#include <cmath>
#include <opsgraph/graph/retry.hpp>

namespace opsgraph::graph {

std::chrono::milliseconds RetryPolicy::backoff_bound(int retry) const noexcept {
  if (retry < 1)
    retry = 1;
  const double cap = static_cast<double>(max_backoff.count());
  // pow() can overflow to inf for large retries; min() with the cap keeps it finite.
  const double bound =
      std::min(cap, static_cast<double>(initial_backoff.count()) * std::pow(multiplier, retry - 1));
  return std::chrono::milliseconds{static_cast<std::int64_t>(std::max(0.0, bound))};
}

std::chrono::milliseconds RetryPolicy::backoff(int retry, std::uint64_t random) const noexcept {
  const auto bound = static_cast<std::uint64_t>(backoff_bound(retry).count());
  return std::chrono::milliseconds{static_cast<std::int64_t>(random % (bound + 1))};
}

}  // namespace opsgraph::graph
