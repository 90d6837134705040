#pragma once
// opsgraph::agents::Usage — what LLM calls cost: calls, tokens, and time spent waiting for
// answers. Agents add each call to it; a task keeps the total over its whole life. A plain value.

#include <chrono>
#include <cstdint>
#include <opsgraph/core/json_codec.hpp>
#include <opsgraph/llm/chat.hpp>

namespace opsgraph::agents {

struct Usage {
  std::int64_t llm_calls = 0;
  std::int64_t prompt_tokens = 0;
  std::int64_t completion_tokens = 0;
  /// Time spent waiting for LLM answers.
  double llm_seconds = 0.0;

  /// Counts one answered call.
  void add(const llm::ChatResponse& response) noexcept {
    llm_calls += 1;
    prompt_tokens += response.usage.prompt_tokens;
    completion_tokens += response.usage.completion_tokens;
    llm_seconds += std::chrono::duration<double>(response.latency).count();
  }
  Usage& operator+=(const Usage& other) noexcept {
    llm_calls += other.llm_calls;
    prompt_tokens += other.prompt_tokens;
    completion_tokens += other.completion_tokens;
    llm_seconds += other.llm_seconds;
    return *this;
  }
  friend bool operator==(const Usage&, const Usage&) = default;
};

}  // namespace opsgraph::agents

template <>
struct opsgraph::json::Schema<opsgraph::agents::Usage> {
  using T = opsgraph::agents::Usage;
  static constexpr auto fields = std::make_tuple(
      json::field("llm_calls", &T::llm_calls), json::field("prompt_tokens", &T::prompt_tokens),
      json::field("completion_tokens", &T::completion_tokens),
      json::field("llm_seconds", &T::llm_seconds));
};
