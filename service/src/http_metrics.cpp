#include "http_metrics.hpp"

#include <string>

namespace opsgraph::service {
namespace {

constexpr std::string_view kRequests = "opsgraph_http_requests_total";
constexpr std::string_view kRequestsHelp = "HTTP requests answered, by route, method and status.";
constexpr std::string_view kDuration = "opsgraph_http_request_duration_seconds";
constexpr std::string_view kDurationHelp = "Time from a request's arrival to its answer.";
constexpr std::string_view kUnmatched = "unmatched";

const std::vector<double>& duration_buckets() {
  static const std::vector<double> buckets{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                           0.1,    0.25,  0.5,    1,     2.5,  5,     10};
  return buckets;
}

}  // namespace

HttpMetrics::HttpMetrics(MetricsRegistry& registry) : registry_(registry) {
  const auto all = routes();
  for (std::size_t i = 0; i <= all.size(); ++i) {
    const auto* route = i < all.size() ? &all[i] : nullptr;
    auto histogram = registry_.histogram(kDuration, kDurationHelp, duration_buckets(),
                                         {{"route", std::string(label_of(route))}});
    durations_.push_back(histogram ? histogram.value() : nullptr);
  }
}

std::size_t HttpMetrics::index_of(const Route* route) const {
  const auto all = routes();
  return route == nullptr ? all.size() : static_cast<std::size_t>(route - all.data());
}

std::string_view HttpMetrics::label_of(const Route* route) const {
  return route == nullptr ? kUnmatched : route->pattern;
}

void HttpMetrics::observe(const Route* route, std::string_view method, int status, double seconds) {
  const auto index = index_of(route);
  if (auto* histogram = durations_[index])
    histogram->observe(seconds);
  Counter* counter = nullptr;
  {
    std::lock_guard lock(mutex_);
    auto key = std::make_tuple(index, std::string(method), status);
    auto found = requests_.find(key);
    if (found == requests_.end()) {
      auto made = registry_.counter(kRequests, kRequestsHelp,
                                    {{"route", std::string(label_of(route))},
                                     {"method", std::string(method)},
                                     {"status", std::to_string(status)}});
      found = requests_.emplace(std::move(key), made ? made.value() : nullptr).first;
    }
    counter = found->second;
  }
  if (counter != nullptr)
    counter->inc();
}

}  // namespace opsgraph::service
