#pragma once
// ProviderMetrics — the Prometheus series an LLM provider updates: calls by outcome, HTTP
// attempts, call latency and tokens. Every series is registered when the provider is made, so
// recording never takes the registry's lock. Thread-safe (the metrics are atomics); a provider
// without a registry records nothing.

#include <array>
#include <chrono>
#include <opsgraph/core/error.hpp>
#include <opsgraph/core/log.hpp>
#include <opsgraph/core/metrics.hpp>
#include <opsgraph/llm/chat.hpp>
#include <optional>
#include <string_view>

namespace opsgraph::llm::http {

class ProviderMetrics {
 public:
  /// Registers the series labelled provider=`provider` in `registry` (may be null). A
  /// registration failure is logged and that series is left out.
  ProviderMetrics(MetricsRegistry* registry, std::string_view provider, const Logger& logger);

  void attempt() noexcept;
  void succeeded(const ChatResponse& response) noexcept;
  void failed(errc code, std::chrono::milliseconds latency) noexcept;

 private:
  void observe_latency(std::chrono::milliseconds latency) noexcept;

  Counter* ok_ = nullptr;
  std::array<Counter*, kErrcLast + 1> failed_{};  // indexed by errc value
  Counter* attempts_ = nullptr;
  Counter* prompt_tokens_ = nullptr;
  Counter* completion_tokens_ = nullptr;
  Histogram* latency_ = nullptr;
};

}  // namespace opsgraph::llm::http
