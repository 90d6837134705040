// The metrics registry and its Prometheus text rendering (exposition format 0.0.4:
// https://prometheus.io/docs/instrumenting/exposition_formats/).

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <limits>
#include <map>
#include <mutex>
#include <opsgraph/core/metrics.hpp>
#include <variant>

namespace opsgraph {
namespace {

enum class MetricType { counter, gauge, histogram };

constexpr std::array<std::string_view, 3> kHistogramSuffixes{"_bucket", "_sum", "_count"};
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kExactIntegerLimit = 9007199254740992.0;  // 2^53

std::string_view type_name(MetricType type) {
  switch (type) {
    case MetricType::counter:
      return "counter";
    case MetricType::gauge:
      return "gauge";
    case MetricType::histogram:
      return "histogram";
  }
  return "untyped";
}

bool is_name_char(char c, bool first, bool allow_colon) {
  const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  const bool digit = c >= '0' && c <= '9';
  return letter || (!first && digit) || (allow_colon && c == ':');
}

// [a-zA-Z_:][a-zA-Z0-9_:]* for metric names, the same without ':' for label names.
bool is_valid_name(std::string_view name, bool allow_colon) {
  if (name.empty()) {
    return false;
  }
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (!is_name_char(name[i], i == 0, allow_colon)) {
      return false;
    }
  }
  return true;
}

Error invalid(std::string_view name, std::string_view why) {
  return make_error(errc::invalid_argument,
                    "metric \"" + std::string(name.substr(0, 128)) + "\": " + std::string(why));
}

// The labels in canonical (sorted) order, after checking their names.
result<MetricLabels> canonical_labels(std::string_view metric, const MetricLabels& labels,
                                      MetricType type) {
  MetricLabels sorted = labels;
  std::sort(sorted.begin(), sorted.end());
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    const std::string& label = sorted[i].first;
    if (!is_valid_name(label, false) || label.starts_with("__")) {
      return invalid(metric, "invalid label name \"" + label + "\"");
    }
    if (type == MetricType::histogram && label == "le") {
      return invalid(metric, "label \"le\" is reserved for histogram buckets");
    }
    if (i > 0 && sorted[i - 1].first == label) {
      return invalid(metric, "label \"" + label + "\" given twice");
    }
  }
  return sorted;
}

// Finite, strictly increasing bounds; a trailing +Inf is dropped since it is always implied.
result<std::vector<double>> checked_bounds(std::string_view metric, std::vector<double> bounds) {
  if (!bounds.empty() && bounds.back() == kInf) {
    bounds.pop_back();
  }
  for (std::size_t i = 0; i < bounds.size(); ++i) {
    if (!std::isfinite(bounds[i])) {
      return invalid(metric, "histogram buckets must be finite");
    }
    if (i > 0 && !(bounds[i - 1] < bounds[i])) {
      return invalid(metric, "histogram buckets must be strictly increasing");
    }
  }
  return bounds;
}

std::vector<std::string> names_of(const MetricLabels& labels) {
  std::vector<std::string> names;
  names.reserve(labels.size());
  for (const auto& label : labels) {
    names.push_back(label.first);
  }
  return names;
}

// --- rendering ------------------------------------------------------------------------------

void append_number(std::string& out, double value) {
  if (std::isnan(value)) {
    out += "NaN";
  } else if (std::isinf(value)) {
    out += value > 0 ? "+Inf" : "-Inf";
  } else if (std::trunc(value) == value && std::fabs(value) < kExactIntegerLimit) {
    // Shortest form would write 200000 as "2e+05": valid, but harder on the eye.
    out += std::to_string(static_cast<std::int64_t>(value));
  } else {
    std::array<char, 32> buf{};
    const auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), value);
    out.append(buf.data(), ec == std::errc{} ? end : buf.data());
  }
}

void append_integer(std::string& out, std::uint64_t value) {
  out += std::to_string(value);
}

void append_help(std::string& out, std::string_view help) {
  for (char c : help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
}

void append_label_value(std::string& out, std::string_view value) {
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
}

// `name{a="1",b="2"}` (or bare `name` without labels), with an optional extra `le` label last.
void append_series_name(std::string& out, std::string_view name, std::string_view suffix,
                        const MetricLabels& labels, const std::string* le = nullptr) {
  out += name;
  out += suffix;
  if (labels.empty() && le == nullptr) {
    return;
  }
  out += '{';
  bool first = true;
  const auto append_label = [&](std::string_view key, std::string_view value) {
    if (!first) {
      out += ',';
    }
    first = false;
    out += key;
    out += "=\"";
    append_label_value(out, value);
    out += '"';
  };
  for (const auto& [key, value] : labels) {
    append_label(key, value);
  }
  if (le != nullptr) {
    append_label("le", *le);
  }
  out += '}';
}

}  // namespace

// --- the metric types -----------------------------------------------------------------------

void Counter::add(double amount) noexcept {
  if (amount > 0) {
    fraction_.fetch_add(amount, std::memory_order_relaxed);
  }
}

double Counter::value() const noexcept {
  return static_cast<double>(whole_.load(std::memory_order_relaxed)) +
         fraction_.load(std::memory_order_relaxed);
}

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)),
      buckets_(std::make_unique<std::atomic<std::uint64_t>[]>(bounds_.size() + 1)) {}

void Histogram::observe(double value) noexcept {
  if (std::isnan(value)) {
    return;
  }
  // Bucket i counts bounds_[i-1] < value <= bounds_[i] ("le" is inclusive).
  const auto it = std::lower_bound(bounds_.begin(), bounds_.end(), value);
  const auto index = static_cast<std::size_t>(it - bounds_.begin());
  buckets_[index].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
}

std::uint64_t Histogram::bucket_count(std::size_t i) const noexcept {
  return i <= bounds_.size() ? buckets_[i].load(std::memory_order_relaxed) : 0;
}

std::uint64_t Histogram::count() const noexcept {
  std::uint64_t total = 0;
  for (std::size_t i = 0; i <= bounds_.size(); ++i) {
    total += bucket_count(i);
  }
  return total;
}

// --- the registry ---------------------------------------------------------------------------

struct MetricsRegistry::Impl {
  using Metric =
      std::variant<std::unique_ptr<Counter>, std::unique_ptr<Gauge>, std::unique_ptr<Histogram>>;

  struct Family {
    MetricType type;
    std::string help;
    std::vector<std::string> label_names;
    std::vector<double> bounds;
    std::map<MetricLabels, Metric> series;
  };

  // Whether registering `name` as `type` would render a series name another family owns.
  bool clashes_with_histogram(std::string_view name, MetricType type) const {
    for (std::string_view suffix : kHistogramSuffixes) {
      if (type == MetricType::histogram &&
          families.find(std::string(name) + std::string(suffix)) != families.end()) {
        return true;
      }
      if (name.ends_with(suffix)) {
        const auto base = families.find(name.substr(0, name.size() - suffix.size()));
        if (base != families.end() && base->second.type == MetricType::histogram) {
          return true;
        }
      }
    }
    return false;
  }

  result<Family*> family(std::string_view name, std::string_view help, MetricType type,
                         const MetricLabels& labels, const std::vector<double>& bounds) {
    auto names = names_of(labels);
    const auto it = families.find(name);
    if (it == families.end()) {
      if (clashes_with_histogram(name, type)) {
        return invalid(name, "clashes with the _bucket/_sum/_count series of a histogram");
      }
      Family created{type, std::string(help), std::move(names), bounds, {}};
      return &families.emplace(std::string(name), std::move(created)).first->second;
    }
    Family& existing = it->second;
    if (existing.type != type) {
      return invalid(name, "already registered as a " + std::string(type_name(existing.type)));
    }
    if (existing.help != help) {
      return invalid(name, "already registered with another help text");
    }
    if (existing.label_names != names) {
      return invalid(name, "already registered with other label names");
    }
    if (existing.bounds != bounds) {
      return invalid(name, "already registered with other buckets");
    }
    return &existing;
  }

  template <class M>
  result<M*> metric(std::string_view name, std::string_view help, MetricType type,
                    const MetricLabels& labels, const std::vector<double>& bounds = {}) {
    if (!is_valid_name(name, true)) {
      return invalid(name, "invalid metric name: expected [a-zA-Z_:][a-zA-Z0-9_:]*");
    }
    OPSGRAPH_TRY(auto sorted, canonical_labels(name, labels, type));

    const std::lock_guard lock(mutex);
    OPSGRAPH_TRY(Family * fam, family(name, help, type, sorted, bounds));
    auto [it, inserted] = fam->series.try_emplace(std::move(sorted));
    if (inserted) {
      if constexpr (std::is_same_v<M, Histogram>) {
        it->second = std::unique_ptr<Histogram>(new Histogram(bounds));
      } else {
        it->second = std::unique_ptr<M>(new M());
      }
    }
    return std::get<std::unique_ptr<M>>(it->second).get();
  }

  void render_family(std::string& out, const std::string& name, const Family& fam) const {
    out += "# HELP ";
    out += name;
    out += ' ';
    append_help(out, fam.help);
    out += "\n# TYPE ";
    out += name;
    out += ' ';
    out += type_name(fam.type);
    out += '\n';
    for (const auto& [labels, metric] : fam.series) {
      if (const auto* counter = std::get_if<std::unique_ptr<Counter>>(&metric)) {
        render_counter(out, name, labels, **counter);
      } else if (const auto* gauge = std::get_if<std::unique_ptr<Gauge>>(&metric)) {
        append_series_name(out, name, "", labels);
        out += ' ';
        append_number(out, (*gauge)->value());
        out += '\n';
      } else {
        render_histogram(out, name, labels, *std::get<std::unique_ptr<Histogram>>(metric));
      }
    }
  }

  static void render_counter(std::string& out, const std::string& name, const MetricLabels& labels,
                             const Counter& counter) {
    append_series_name(out, name, "", labels);
    out += ' ';
    // Whole-number counters print exactly, even past 2^53.
    const double fraction = counter.fraction_.load(std::memory_order_relaxed);
    const std::uint64_t whole = counter.whole_.load(std::memory_order_relaxed);
    if (fraction == 0.0) {
      append_integer(out, whole);
    } else {
      append_number(out, static_cast<double>(whole) + fraction);
    }
    out += '\n';
  }

  static void render_histogram(std::string& out, const std::string& name,
                               const MetricLabels& labels, const Histogram& histogram) {
    // One snapshot of the buckets, so _count always equals the +Inf bucket.
    std::uint64_t cumulative = 0;
    std::string le;
    const auto bounds = histogram.bounds();
    for (std::size_t i = 0; i <= bounds.size(); ++i) {
      cumulative += histogram.bucket_count(i);
      le.clear();
      append_number(le, i < bounds.size() ? bounds[i] : kInf);
      append_series_name(out, name, "_bucket", labels, &le);
      out += ' ';
      append_integer(out, cumulative);
      out += '\n';
    }
    append_series_name(out, name, "_sum", labels);
    out += ' ';
    append_number(out, histogram.sum());
    out += '\n';
    append_series_name(out, name, "_count", labels);
    out += ' ';
    append_integer(out, cumulative);
    out += '\n';
  }

  mutable std::mutex mutex;
  std::map<std::string, Family, std::less<>> families;
};

MetricsRegistry::MetricsRegistry() : impl_(std::make_unique<Impl>()) {}

MetricsRegistry::~MetricsRegistry() = default;

result<Counter*> MetricsRegistry::counter(std::string_view name, std::string_view help,
                                          const MetricLabels& labels) {
  return impl_->metric<Counter>(name, help, MetricType::counter, labels);
}

result<Gauge*> MetricsRegistry::gauge(std::string_view name, std::string_view help,
                                      const MetricLabels& labels) {
  return impl_->metric<Gauge>(name, help, MetricType::gauge, labels);
}

result<Histogram*> MetricsRegistry::histogram(std::string_view name, std::string_view help,
                                              const std::vector<double>& buckets,
                                              const MetricLabels& labels) {
  OPSGRAPH_TRY(auto bounds, checked_bounds(name, buckets));
  return impl_->metric<Histogram>(name, help, MetricType::histogram, labels, bounds);
}

std::string MetricsRegistry::render_prometheus() const {
  const std::lock_guard lock(impl_->mutex);
  std::string out;
  for (const auto& [name, fam] : impl_->families) {
    impl_->render_family(out, name, fam);
  }
  return out;
}

}  // namespace opsgraph
