#include "llm/http/provider_metrics.hpp"

#include <string>

namespace opsgraph::llm::http {
namespace {

template <class Metric>
Metric* registered(result<Metric*> metric, std::string_view name, const Logger& logger) {
  if (metric)
    return metric.value();
  logger.warn("llm", "metric not registered",
              {{"metric", name}, {"error", metric.error().message}});
  return nullptr;
}

}  // namespace

ProviderMetrics::ProviderMetrics(MetricsRegistry* registry, std::string_view provider,
                                 const Logger& logger) {
  if (registry == nullptr)
    return;
  const std::string label(provider);
  constexpr std::string_view kCalls = "opsgraph_llm_calls_total";
  constexpr std::string_view kCallsHelp = "LLM calls by outcome (ok or the error code).";
  ok_ = registered(registry->counter(kCalls, kCallsHelp, {{"provider", label}, {"outcome", "ok"}}),
                   kCalls, logger);
  for (int code = kErrcFirst; code <= kErrcLast; ++code) {
    const std::string outcome(to_string(static_cast<errc>(code)));
    failed_[static_cast<std::size_t>(code)] = registered(
        registry->counter(kCalls, kCallsHelp, {{"provider", label}, {"outcome", outcome}}), kCalls,
        logger);
  }
  attempts_ = registered(
      registry->counter("opsgraph_llm_attempts_total",
                        "HTTP attempts of LLM calls, retries included.", {{"provider", label}}),
      "opsgraph_llm_attempts_total", logger);
  constexpr std::string_view kTokens = "opsgraph_llm_tokens_total";
  constexpr std::string_view kTokensHelp = "Tokens billed, as the server reported them.";
  prompt_tokens_ =
      registered(registry->counter(kTokens, kTokensHelp, {{"provider", label}, {"kind", "prompt"}}),
                 kTokens, logger);
  completion_tokens_ = registered(
      registry->counter(kTokens, kTokensHelp, {{"provider", label}, {"kind", "completion"}}),
      kTokens, logger);
  latency_ = registered(registry->histogram("opsgraph_llm_call_seconds",
                                            "Duration of LLM calls, retries and waits included.",
                                            {0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120},
                                            {{"provider", label}}),
                        "opsgraph_llm_call_seconds", logger);
}

void ProviderMetrics::attempt() noexcept {
  if (attempts_ != nullptr)
    attempts_->inc();
}

void ProviderMetrics::succeeded(const ChatResponse& response) noexcept {
  if (ok_ != nullptr)
    ok_->inc();
  if (prompt_tokens_ != nullptr)
    prompt_tokens_->inc(
        static_cast<std::uint64_t>(std::max<std::int64_t>(0, response.usage.prompt_tokens)));
  if (completion_tokens_ != nullptr)
    completion_tokens_->inc(
        static_cast<std::uint64_t>(std::max<std::int64_t>(0, response.usage.completion_tokens)));
  observe_latency(response.latency);
}

void ProviderMetrics::failed(errc code, std::chrono::milliseconds latency) noexcept {
  const auto index = static_cast<std::size_t>(code);
  if (index < failed_.size() && failed_[index] != nullptr)
    failed_[index]->inc();
  observe_latency(latency);
}

void ProviderMetrics::observe_latency(std::chrono::milliseconds latency) noexcept {
  if (latency_ != nullptr)
    latency_->observe(std::chrono::duration<double>(latency).count());
}

}  // namespace opsgraph::llm::http
