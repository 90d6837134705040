#pragma once
// The OpenAI-compatible provider: chat completions over HTTP(S) to OpenAI, Azure OpenAI, or any
// server that speaks the same API (vLLM, Ollama, llama.cpp server). make_openai_provider()
// validates an OpenAIConfig and returns a Provider driven by the caller's Asio executor: no
// thread per call, connections kept alive and reused, retries with backoff that honour the
// server's rate-limit hints, a concurrency cap and a client-side rate limiter.
//
// Thread-safety: the returned Provider may be called from any number of coroutines and threads.
// Ownership: the Provider must be destroyed before the execution context of its executor.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <opsgraph/core/log.hpp>
#include <opsgraph/core/metrics.hpp>
#include <opsgraph/core/result.hpp>
#include <opsgraph/core/task.hpp>
#include <opsgraph/export.hpp>
#include <opsgraph/llm/provider.hpp>
#include <optional>
#include <string>

namespace opsgraph::llm {

/// How failed attempts are tried again: exponential backoff with full jitter (a delay drawn
/// uniformly from zero to min(max_delay, base_delay * 2^(retry-1))), or the server's Retry-After
/// / x-ratelimit-reset hint when that is longer. Only 408, 409, 429, 5xx and connection
/// failures are retried; the remaining total time bounds every wait.
struct OpenAIRetryPolicy {
  /// Attempts including the first; 1 never retries.
  int max_attempts = 4;
  std::chrono::milliseconds base_delay{500};
  std::chrono::milliseconds max_delay{30'000};
  /// Seeds the jitter for reproducible delays (tests); unset draws a random seed.
  std::optional<std::uint64_t> jitter_seed{};
};

/// Everything make_openai_provider() needs. Every member has a working default, so
/// `OpenAIConfig{.base_url = "http://127.0.0.1:11434/v1", .model = "llama3"}` is a full config.
/// Printing a config (to_string) never shows the key.
struct OpenAIConfig {
  /// The API root that "/chat/completions" is appended to: http or https. For Azure OpenAI,
  /// https://{resource}.openai.azure.com/openai/deployments/{deployment} with api_version set.
  std::string base_url = "https://api.openai.com/v1";
  /// Sent as "Authorization: Bearer" (or "api-key" for Azure). Empty takes OPENAI_API_KEY from
  /// the environment; no key at all is fine for local servers.
  std::string api_key{};
  /// Optional OpenAI-Organization and OpenAI-Project headers.
  std::string organization{};
  std::string project{};
  /// Azure OpenAI: the api-version query parameter. When set, the key travels in an "api-key"
  /// header instead of "Authorization: Bearer".
  std::string api_version{};
  /// The model of requests that name none.
  std::string model = "gpt-4o-mini";

  std::chrono::milliseconds connect_timeout{10'000};
  /// One HTTP attempt, from connecting to the last byte of the answer.
  std::chrono::milliseconds attempt_timeout{120'000};
  /// A whole call, retries and waits included; ChatRequest::timeout overrides it.
  std::chrono::milliseconds total_timeout{300'000};

  /// Calls in flight at once; further calls wait in order (holding no thread).
  int max_concurrent = 64;
  /// Client-side limits per minute, 0 for none. Tokens are estimated before a call (about four
  /// characters per token of the messages, plus max_tokens) and corrected by the usage the
  /// server reports.
  int requests_per_minute = 0;
  std::int64_t tokens_per_minute = 0;

  OpenAIRetryPolicy retry{};

  /// Verify the server's certificate and host name. Turning it off is logged as a warning.
  bool verify_tls = true;
  /// PEM file of certificates to trust instead of the system's (a private CA).
  std::string ca_file{};
  /// Directory of hashed certificates to trust (c_rehash layout).
  std::string ca_path{};
  /// Proxies come from the environment (https_proxy, no_proxy, ...) as curl reads them.

  std::string user_agent = "opsgraph/0.1";
  /// A 2xx answer larger than this fails with bad_response.
  std::size_t max_response_bytes = 16u << 20;

  Logger logger{};
  /// Optional: where request, attempt, latency and token metrics are registered. Borrowed; it
  /// must outlive the provider.
  MetricsRegistry* metrics = nullptr;
};

/// A one-line description of `config` for logs: every setting, the key shown as "<set>" or
/// "<none>", credentials in the URL removed.
OPSGRAPH_API std::string to_string(const OpenAIConfig& config);

/// Checks `config` without creating anything: invalid_argument naming the first bad field (a
/// base_url that is not http(s), a non-positive timeout or max_concurrent, negative limits,
/// max_attempts below 1, ...).
OPSGRAPH_API result<void> validate(const OpenAIConfig& config);

/// A Provider talking to `config.base_url` on `executor`. Fails with invalid_argument when the
/// config is invalid (see validate) and with internal when libcurl cannot be initialised.
OPSGRAPH_API result<std::shared_ptr<Provider>> make_openai_provider(Executor executor,
                                                                    OpenAIConfig config);

}  // namespace opsgraph::llm
