#pragma once
// opsgraph's metrics: counters, gauges and histograms kept in a MetricsRegistry and rendered as
// Prometheus text (the `/metrics` endpoint of opsgraphd). Registration takes a lock and may fail;
// updating a metric is a few lock-free atomic operations and never fails.

#include <atomic>
#include <cstdint>
#include <memory>
#include <opsgraph/core/result.hpp>
#include <opsgraph/export.hpp>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace opsgraph {

class MetricsRegistry;

/// Label name/value pairs that identify one series of a metric family. Order does not matter.
using MetricLabels = std::vector<std::pair<std::string, std::string>>;

/// A value that only goes up (requests served, tokens used). Thread-safe, lock-free. Owned by
/// its MetricsRegistry.
class OPSGRAPH_API Counter {
 public:
  Counter(const Counter&) = delete;
  Counter& operator=(const Counter&) = delete;

  void inc(std::uint64_t n = 1) noexcept { whole_.fetch_add(n, std::memory_order_relaxed); }
  /// Adds a fractional amount (seconds spent, say). Negative or NaN amounts are ignored: a
  /// counter never goes down.
  void add(double amount) noexcept;
  double value() const noexcept;

 private:
  friend class MetricsRegistry;
  Counter() = default;

  // Whole increments stay exact and cost one fetch_add; fractions go to a separate double.
  std::atomic<std::uint64_t> whole_{0};
  std::atomic<double> fraction_{0.0};
};

/// A value that goes up and down (tasks in flight, queue depth). Thread-safe, lock-free. Owned
/// by its MetricsRegistry.
class OPSGRAPH_API Gauge {
 public:
  Gauge(const Gauge&) = delete;
  Gauge& operator=(const Gauge&) = delete;

  void set(double value) noexcept { value_.store(value, std::memory_order_relaxed); }
  void add(double delta) noexcept { value_.fetch_add(delta, std::memory_order_relaxed); }
  void inc() noexcept { add(1.0); }
  void dec() noexcept { add(-1.0); }
  double value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  friend class MetricsRegistry;
  Gauge() = default;

  std::atomic<double> value_{0.0};
};

/// Counts observations (latencies, sizes) into fixed buckets, plus their sum. Thread-safe,
/// lock-free. Owned by its MetricsRegistry.
class OPSGRAPH_API Histogram {
 public:
  Histogram(const Histogram&) = delete;
  Histogram& operator=(const Histogram&) = delete;

  /// Records one observation; NaN is ignored.
  void observe(double value) noexcept;

  /// Upper bounds as registered (the +Inf bucket is implicit).
  std::span<const double> bounds() const noexcept { return bounds_; }
  /// Observations in bucket `i` alone (not cumulative); i == bounds().size() is the +Inf bucket.
  std::uint64_t bucket_count(std::size_t i) const noexcept;
  std::uint64_t count() const noexcept;
  double sum() const noexcept { return sum_.load(std::memory_order_relaxed); }

 private:
  friend class MetricsRegistry;
  explicit Histogram(std::vector<double> bounds);

  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;  // bounds_.size() + 1 of them
  std::atomic<double> sum_{0.0};
};

/// The metrics of one Engine (or one process): families by name, each with one series per label
/// set. Thread-safe. Owns every metric; the pointers it hands out stay valid until it is
/// destroyed. Registering the same name and labels again returns the same metric, so components
/// register what they use without coordinating.
class OPSGRAPH_API MetricsRegistry {
 public:
  MetricsRegistry();
  ~MetricsRegistry();
  MetricsRegistry(const MetricsRegistry&) = delete;
  MetricsRegistry& operator=(const MetricsRegistry&) = delete;

  // invalid_argument when: the name or a label name is not a valid Prometheus name; the name is
  // already registered with another type, help text, label names or buckets; or the name would
  // clash with the _bucket/_sum/_count series of a histogram.
  result<Counter*> counter(std::string_view name, std::string_view help,
                           const MetricLabels& labels = {});
  result<Gauge*> gauge(std::string_view name, std::string_view help,
                       const MetricLabels& labels = {});
  /// `buckets`: finite upper bounds in strictly increasing order; +Inf is always added.
  result<Histogram*> histogram(std::string_view name, std::string_view help,
                               const std::vector<double>& buckets, const MetricLabels& labels = {});

  /// Every family in Prometheus text exposition format 0.0.4, sorted by name, series sorted by
  /// labels. Safe to call while other threads update metrics.
  std::string render_prometheus() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace opsgraph
