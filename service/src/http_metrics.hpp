#pragma once
// The service's own metrics: requests by route, method and status, and a latency histogram per
// route. Thread-safe; an observation after the first of its kind is a map lookup and two atomic
// adds.

#include <cstddef>
#include <map>
#include <mutex>
#include <opsgraph/core/metrics.hpp>
#include <opsgraph/service/routes.hpp>
#include <string_view>
#include <tuple>
#include <vector>

namespace opsgraph::service {

class HttpMetrics {
 public:
  explicit HttpMetrics(MetricsRegistry& registry);

  /// One answered request; `route` null for a path no route matched.
  void observe(const Route* route, std::string_view method, int status, double seconds);

 private:
  std::size_t index_of(const Route* route) const;
  std::string_view label_of(const Route* route) const;

  MetricsRegistry& registry_;
  // One per route, then one for unmatched paths.
  std::vector<Histogram*> durations_;
  std::mutex mutex_;
  std::map<std::tuple<std::size_t, std::string, int>, Counter*, std::less<>> requests_;
};

}  // namespace opsgraph::service
