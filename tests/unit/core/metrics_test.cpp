#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <map>
#include <opsgraph/core/metrics.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace opsgraph {
namespace {

// The rendered exposition text, parsed back line by line (a strict reader of format 0.0.4 for
// what the registry writes: # HELP, # TYPE and `name{labels} value` samples).
struct Exposition {
  struct Sample {
    std::string name;
    MetricLabels labels;  // in written order
    std::string value;
  };
  std::map<std::string, std::string> help;  // unescaped
  std::map<std::string, std::string> type;
  std::vector<std::string> family_order;  // names in the order of their # HELP lines
  std::vector<Sample> samples;

  // The value of the one sample with this name and exactly these labels (in written order).
  std::string value(const std::string& name, const MetricLabels& labels = {}) const {
    std::string found;
    int matches = 0;
    for (const Sample& s : samples) {
      if (s.name == name && s.labels == labels) {
        found = s.value;
        ++matches;
      }
    }
    EXPECT_EQ(matches, 1) << "sample " << name;
    return found;
  }
};

std::string unescape(std::string_view text, bool allow_quote) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\') {
      out += text[i];
      continue;
    }
    const char next = i + 1 < text.size() ? text[++i] : '\0';
    if (next == 'n') {
      out += '\n';
    } else if (next == '\\' || (allow_quote && next == '"')) {
      out += next;
    } else {
      ADD_FAILURE() << "bad escape in " << text;
    }
  }
  return out;
}

// Parses `{a="x",b="y"}` starting at text[pos] == '{'; leaves pos after the '}'.
MetricLabels parse_labels(const std::string& text, std::size_t& pos) {
  MetricLabels labels;
  ++pos;
  while (pos < text.size() && text[pos] != '}') {
    const std::size_t eq = text.find("=\"", pos);
    EXPECT_NE(eq, std::string::npos) << text;
    std::string name = text.substr(pos, eq - pos);
    std::size_t end = eq + 2;
    while (end < text.size() && text[end] != '"') {
      end += text[end] == '\\' ? 2 : 1;
    }
    EXPECT_LT(end, text.size()) << "unterminated label value: " << text;
    labels.emplace_back(name, unescape(std::string_view(text).substr(eq + 2, end - eq - 2), true));
    pos = end + 1;
    if (pos < text.size() && text[pos] == ',') {
      ++pos;
    }
  }
  EXPECT_LT(pos, text.size()) << "unterminated labels: " << text;
  ++pos;
  return labels;
}

Exposition parse(const std::string& text) {
  Exposition out;
  EXPECT_TRUE(text.empty() || text.back() == '\n') << "text must end with a newline";
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    EXPECT_FALSE(line.empty()) << "blank line in exposition";
    if (line.starts_with("# HELP ")) {
      const std::size_t space = line.find(' ', 7);
      const std::string name = line.substr(7, space - 7);
      out.help[name] = unescape(line.substr(space + 1), false);
      out.family_order.push_back(name);
    } else if (line.starts_with("# TYPE ")) {
      const std::size_t space = line.find(' ', 7);
      out.type[line.substr(7, space - 7)] = line.substr(space + 1);
    } else {
      Exposition::Sample sample;
      std::size_t pos = line.find_first_of("{ ");
      sample.name = line.substr(0, pos);
      if (line[pos] == '{') {
        sample.labels = parse_labels(line, pos);
      }
      EXPECT_EQ(line[pos], ' ') << line;
      sample.value = line.substr(pos + 1);
      EXPECT_EQ(sample.value.find(' '), std::string::npos) << line;
      out.samples.push_back(std::move(sample));
    }
  }
  return out;
}

template <class T>
T* must(result<T*> r) {
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
  return r ? r.value() : nullptr;
}

void expect_invalid(const auto& r, std::string_view mentions) {
  ASSERT_FALSE(r.has_value()) << "expected invalid_argument mentioning " << mentions;
  EXPECT_EQ(r.error().code, errc::invalid_argument);
  EXPECT_NE(r.error().message.find(mentions), std::string::npos) << r.error().message;
}

TEST(MetricsTest, CountersRenderExactValues) {
  MetricsRegistry registry;
  Counter* requests = must(registry.counter("http_requests_total", "Requests served."));
  ASSERT_NE(requests, nullptr);
  requests->inc();
  requests->inc(41);
  Counter* seconds = must(registry.counter("llm_seconds_total", "Time spent in LLM calls."));
  seconds->add(1.25);
  seconds->add(0.5);
  seconds->add(-3.0);  // ignored: counters never go down
  seconds->add(std::numeric_limits<double>::quiet_NaN());
  Counter* big = must(registry.counter("big_total", "Past 2^53."));
  big->inc(9'007'199'254'740'993U);

  EXPECT_EQ(requests->value(), 42.0);
  EXPECT_EQ(seconds->value(), 1.75);
  const Exposition e = parse(registry.render_prometheus());
  EXPECT_EQ(e.type.at("http_requests_total"), "counter");
  EXPECT_EQ(e.help.at("http_requests_total"), "Requests served.");
  EXPECT_EQ(e.value("http_requests_total"), "42");
  EXPECT_EQ(e.value("llm_seconds_total"), "1.75");
  EXPECT_EQ(e.value("big_total"), "9007199254740993");
}

TEST(MetricsTest, GaugesGoUpAndDown) {
  MetricsRegistry registry;
  Gauge* in_flight = must(registry.gauge("tasks_in_flight", "Tasks running now."));
  in_flight->inc();
  in_flight->inc();
  in_flight->dec();
  in_flight->add(2.5);
  EXPECT_EQ(in_flight->value(), 3.5);
  Gauge* temp = must(registry.gauge("temperature", "Below zero."));
  temp->set(-12.75);
  Gauge* unknown = must(registry.gauge("unknown", "NaN and infinity render by name."));
  unknown->set(std::numeric_limits<double>::infinity());

  const Exposition e = parse(registry.render_prometheus());
  EXPECT_EQ(e.type.at("tasks_in_flight"), "gauge");
  EXPECT_EQ(e.value("tasks_in_flight"), "3.5");
  EXPECT_EQ(e.value("temperature"), "-12.75");
  EXPECT_EQ(e.value("unknown"), "+Inf");
  unknown->set(std::numeric_limits<double>::quiet_NaN());
  EXPECT_EQ(parse(registry.render_prometheus()).value("unknown"), "NaN");
}

TEST(MetricsTest, HistogramBucketsAreCumulativeWithInfSumAndCount) {
  MetricsRegistry registry;
  Histogram* latency = must(registry.histogram("step_seconds", "Step latency.", {0.005, 0.1, 1, 10},
                                               {{"graph", "diag"}}));
  ASSERT_NE(latency, nullptr);
  for (double v : {0.001, 0.005, 0.05, 0.1, 0.5, 2.0, 20.0, 30.0}) {
    latency->observe(v);
  }
  latency->observe(std::numeric_limits<double>::quiet_NaN());  // ignored
  EXPECT_EQ(latency->count(), 8U);
  EXPECT_EQ(latency->bucket_count(0), 2U);  // 0.001 and 0.005: "le" includes the bound
  EXPECT_EQ(latency->bucket_count(4), 2U);  // above every bound

  const Exposition e = parse(registry.render_prometheus());
  EXPECT_EQ(e.type.at("step_seconds"), "histogram");
  const auto bucket = [&](const char* le) {
    return e.value("step_seconds_bucket", {{"graph", "diag"}, {"le", le}});
  };
  EXPECT_EQ(bucket("0.005"), "2");
  EXPECT_EQ(bucket("0.1"), "4");
  EXPECT_EQ(bucket("1"), "5");
  EXPECT_EQ(bucket("10"), "6");
  EXPECT_EQ(bucket("+Inf"), "8");
  EXPECT_EQ(e.value("step_seconds_count", {{"graph", "diag"}}), "8");
  EXPECT_DOUBLE_EQ(std::stod(e.value("step_seconds_sum", {{"graph", "diag"}})), 52.656);

  // Buckets appear in increasing order of le, and never decrease.
  std::vector<std::uint64_t> cumulative;
  for (const auto& s : e.samples) {
    if (s.name == "step_seconds_bucket") {
      cumulative.push_back(std::stoull(s.value));
    }
  }
  ASSERT_EQ(cumulative.size(), 5U);
  EXPECT_TRUE(std::is_sorted(cumulative.begin(), cumulative.end()));
}

TEST(MetricsTest, HistogramBoundsAreChecked) {
  MetricsRegistry registry;
  expect_invalid(registry.histogram("h1", "", {1, 0.5}), "strictly increasing");
  expect_invalid(registry.histogram("h2", "", {1, 1}), "strictly increasing");
  expect_invalid(registry.histogram("h3", "", {std::numeric_limits<double>::quiet_NaN()}),
                 "finite");
  expect_invalid(registry.histogram("h4", "", {-std::numeric_limits<double>::infinity(), 1}),
                 "finite");
  // A trailing +Inf is accepted and not doubled; no bounds at all leaves only +Inf.
  Histogram* with_inf =
      must(registry.histogram("h5", "", {1, std::numeric_limits<double>::infinity()}));
  EXPECT_EQ(with_inf->bounds().size(), 1U);
  Histogram* only_inf = must(registry.histogram("h6", "", {}));
  only_inf->observe(-5);
  const Exposition e = parse(registry.render_prometheus());
  EXPECT_EQ(e.value("h6_bucket", {{"le", "+Inf"}}), "1");
  EXPECT_EQ(e.value("h6_sum"), "-5");
  int h5_buckets = 0;
  for (const auto& s : e.samples) {
    h5_buckets += s.name == "h5_bucket" ? 1 : 0;
  }
  EXPECT_EQ(h5_buckets, 2);
}

TEST(MetricsTest, FamiliesAndSeriesAreSorted) {
  MetricsRegistry registry;
  must(registry.gauge("zeta", "last"))->set(1);
  must(registry.counter("alpha_total", "first", {{"method", "POST"}}))->inc(2);
  must(registry.counter("alpha_total", "first", {{"method", "GET"}}))->inc(1);
  must(registry.gauge("middle", "between"))->set(3);

  const std::string text = registry.render_prometheus();
  const Exposition e = parse(text);
  EXPECT_EQ(e.family_order, (std::vector<std::string>{"alpha_total", "middle", "zeta"}));
  ASSERT_GE(e.samples.size(), 2U);
  EXPECT_EQ(e.samples[0].labels, (MetricLabels{{"method", "GET"}}));
  EXPECT_EQ(e.samples[1].labels, (MetricLabels{{"method", "POST"}}));
  // Each family's # HELP and # TYPE come right before its samples.
  EXPECT_EQ(text.substr(0, text.find("alpha_total{")),
            "# HELP alpha_total first\n# TYPE alpha_total counter\n");
}

TEST(MetricsTest, LabelValuesAndHelpAreEscaped) {
  MetricsRegistry registry;
  const std::string nasty = "C:\\path \"quoted\"\nnext line";
  must(registry.counter("escaped_total", "Help with \\ backslash\nand newline \"quotes\" kept",
                        {{"path", nasty}, {"empty", ""}}))
      ->inc();
  const std::string text = registry.render_prometheus();
  EXPECT_NE(text.find(R"(path="C:\\path \"quoted\"\nnext line")"), std::string::npos) << text;
  EXPECT_NE(text.find(R"(# HELP escaped_total Help with \\ backslash\nand newline "quotes" kept)"),
            std::string::npos)
      << text;

  const Exposition e = parse(text);
  EXPECT_EQ(e.help.at("escaped_total"), "Help with \\ backslash\nand newline \"quotes\" kept");
  EXPECT_EQ(e.value("escaped_total", {{"empty", ""}, {"path", nasty}}), "1");
}

TEST(MetricsTest, SameNameAndLabelsGiveTheSameMetric) {
  MetricsRegistry registry;
  Counter* a = must(registry.counter("calls_total", "Calls.", {{"x", "1"}, {"y", "2"}}));
  Counter* b = must(registry.counter("calls_total", "Calls.", {{"y", "2"}, {"x", "1"}}));
  Counter* c = must(registry.counter("calls_total", "Calls.", {{"x", "1"}, {"y", "3"}}));
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  Histogram* h1 = must(registry.histogram("h", "H.", {1, 2}));
  Histogram* h2 = must(registry.histogram("h", "H.", {1, 2}));
  EXPECT_EQ(h1, h2);
}

TEST(MetricsTest, PointersStayValidAsTheRegistryGrows) {
  MetricsRegistry registry;
  Counter* first = must(registry.counter("grow_total", "Growth.", {{"i", "0"}}));
  first->inc(7);
  for (int i = 1; i < 2000; ++i) {
    must(registry.counter("grow_total", "Growth.", {{"i", std::to_string(i)}}))->inc();
    must(registry.gauge("grow_gauge_" + std::to_string(i), "More families."))->set(i);
  }
  first->inc();
  EXPECT_EQ(first->value(), 8.0);
  EXPECT_EQ(parse(registry.render_prometheus()).value("grow_total", {{"i", "0"}}), "8");
}

TEST(MetricsTest, ConflictingRegistrationsAreInvalid) {
  MetricsRegistry registry;
  ASSERT_TRUE(registry.counter("jobs_total", "Jobs.", {{"queue", "a"}}));
  expect_invalid(registry.gauge("jobs_total", "Jobs.", {{"queue", "a"}}), "counter");
  expect_invalid(registry.histogram("jobs_total", "Jobs.", {1}), "counter");
  expect_invalid(registry.counter("jobs_total", "Other help.", {{"queue", "a"}}), "help");
  expect_invalid(registry.counter("jobs_total", "Jobs.", {{"kind", "a"}}), "label names");
  expect_invalid(registry.counter("jobs_total", "Jobs."), "label names");
  ASSERT_TRUE(registry.histogram("lat", "Latency.", {1, 2}));
  expect_invalid(registry.histogram("lat", "Latency.", {1, 3}), "buckets");
  // The series a histogram renders are its own.
  expect_invalid(registry.counter("lat_count", "Clash."), "clashes");
  expect_invalid(registry.gauge("lat_bucket", "Clash."), "clashes");
  ASSERT_TRUE(registry.gauge("size_sum", "A gauge first."));
  expect_invalid(registry.histogram("size", "Clash.", {1}), "clashes");
  // Failed registrations leave nothing behind.
  const Exposition e = parse(registry.render_prometheus());
  EXPECT_EQ(e.family_order, (std::vector<std::string>{"jobs_total", "lat", "size_sum"}));
}

TEST(MetricsTest, InvalidNamesAreRejected) {
  MetricsRegistry registry;
  for (const char* name : {"", "1abc", "with-dash", "with space", "caf\xC3\xA9", "a{b}"}) {
    expect_invalid(registry.counter(name, "x"), "invalid metric name");
  }
  EXPECT_TRUE(registry.counter("ns:sub_system:total", "Colons are allowed."));
  EXPECT_TRUE(registry.counter("_leading_underscore", "So is a leading underscore."));
  for (const char* label : {"", "1a", "a:b", "__reserved", "a-b"}) {
    expect_invalid(registry.counter("labelled_total", "x", {{label, "v"}}), "label name");
  }
  expect_invalid(registry.counter("twice_total", "x", {{"a", "1"}, {"a", "2"}}), "twice");
  expect_invalid(registry.histogram("hist", "x", {1}, {{"le", "1"}}), "reserved");
  EXPECT_TRUE(registry.counter("le_is_fine_on_counters_total", "x", {{"le", "1"}}));
}

TEST(MetricsTest, ConcurrentUpdatesAddUpExactly) {
  MetricsRegistry registry;
  constexpr int kThreads = 4;
  constexpr int kPerThread = 100'000;
  Counter* counter = must(registry.counter("ops_total", "Operations."));
  Gauge* gauge = must(registry.gauge("level", "Net level."));
  Histogram* histogram = must(registry.histogram("sizes", "Sizes.", {1, 10, 100}));
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&registry, counter, gauge, histogram, t] {
      for (int i = 0; i < kPerThread; ++i) {
        counter->inc();
        gauge->add(t % 2 == 0 ? 2.0 : -1.0);
        histogram->observe(static_cast<double>(i % 200));
        if (i % 10'000 == 0) {
          // Registering and rendering while others update must be safe too.
          must(registry.counter("ops_total", "Operations."))->inc(0);
          EXPECT_FALSE(registry.render_prometheus().empty());
        }
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }

  const Exposition e = parse(registry.render_prometheus());
  EXPECT_EQ(e.value("ops_total"), std::to_string(kThreads * kPerThread));
  EXPECT_EQ(e.value("level"), std::to_string(kPerThread * (2 + 2 - 1 - 1)));
  EXPECT_EQ(e.value("sizes_count"), std::to_string(kThreads * kPerThread));
  // Per thread, i % 200 runs 500 times over 0..199: 2 values <= 1, 11 <= 10, 101 <= 100.
  EXPECT_EQ(e.value("sizes_bucket", {{"le", "1"}}), std::to_string(kThreads * 500 * 2));
  EXPECT_EQ(e.value("sizes_bucket", {{"le", "10"}}), std::to_string(kThreads * 500 * 11));
  EXPECT_EQ(e.value("sizes_bucket", {{"le", "100"}}), std::to_string(kThreads * 500 * 101));
  EXPECT_EQ(e.value("sizes_bucket", {{"le", "+Inf"}}), std::to_string(kThreads * kPerThread));
  EXPECT_EQ(e.value("sizes_sum"), std::to_string(kThreads * 500 * (199 * 200 / 2)));
}

TEST(MetricsTest, EmptyRegistryRendersNothing) {
  MetricsRegistry registry;
  EXPECT_EQ(registry.render_prometheus(), "");
}

}  // namespace
}  // namespace opsgraph
