#pragma once
// OpenAIProvider — the Provider behind make_openai_provider(): admits a call through the
// concurrency gate, paces it with the rate limiter, runs HTTP attempts through the CurlMulti and
// retries the ones worth retrying. Each call runs as its own coroutine on the multi's strand, so
// the gate, the limiter and the backoff need no locks; the caller's coroutine only awaits it.
//
// Thread-safe (see Provider). Calls in flight keep the provider alive.

#include <chrono>
#include <memory>
#include <opsgraph/llm/openai.hpp>
#include <optional>
#include <string>

#include "llm/http/cancel_relay.hpp"
#include "llm/http/concurrency_gate.hpp"
#include "llm/http/curl_multi.hpp"
#include "llm/http/endpoint.hpp"
#include "llm/http/provider_metrics.hpp"
#include "llm/http/rate_limiter.hpp"
#include "llm/http/retry_timing.hpp"
#include "llm/http/transfer.hpp"
#include "llm/stream_assembler.hpp"

namespace opsgraph::llm::http {

class OpenAIProvider final : public Provider, public std::enable_shared_from_this<OpenAIProvider> {
 public:
  static result<std::shared_ptr<OpenAIProvider>> create(Executor executor, OpenAIConfig config);

  std::string_view name() const noexcept override { return "openai"; }

 private:
  using SteadyTime = std::chrono::steady_clock::time_point;

  /// How one HTTP attempt ended, and whether another one may help.
  struct AttemptOutcome {
    std::optional<ChatResponse> response;
    std::optional<Error> error;
    int http_status = 0;
    std::optional<std::chrono::milliseconds> server_hint;
    bool worth_retrying = false;
  };

  OpenAIProvider(OpenAIConfig config, Endpoint endpoint, std::shared_ptr<CurlMulti> multi);

  Task<result<ChatResponse>> do_chat(ChatRequest request, CallHooks hooks) override;
  static Task<void> run_on_strand(std::shared_ptr<OpenAIProvider> self, ChatRequest request,
                                  CallHooks hooks,
                                  std::shared_ptr<std::optional<result<ChatResponse>>> out,
                                  std::shared_ptr<detail::CancelRelay> relay);
  Task<result<ChatResponse>> call(ChatRequest request, CallHooks hooks);
  /// Paces the next attempt; fails when the call was cancelled or is out of time.
  Task<result<void>> ready_for_attempt(std::int64_t tokens, SteadyTime deadline);
  /// One HTTP attempt sending `body` (the encoded request). The pointees belong to the awaiting
  /// call() and outlive the attempt.
  Task<AttemptOutcome> attempt(const std::string* body, bool stream, const CallHooks* hooks,
                               std::chrono::milliseconds timeout);
  /// The wait before the next attempt, or nullopt when there will be none.
  std::optional<std::chrono::milliseconds> retry_delay(const AttemptOutcome& outcome, int number,
                                                       SteadyTime deadline);
  /// Records a failed call in the metrics and returns its error.
  Error failed(Error error, SteadyTime started);
  /// Waits until the rate limiter lets a request of `tokens` start.
  Task<result<void>> pace(std::int64_t tokens, SteadyTime deadline);
  /// Sleeps until `until`; cancelled when the call is.
  Task<result<void>> sleep_until(SteadyTime until);

  HttpRequest http_request(const std::string& body, bool stream,
                           std::chrono::milliseconds timeout) const;
  AttemptOutcome judge(result<HttpResponse> http, bool partly_streamed,
                       std::optional<wire::StreamAssembler>& assembler) const;
  void report(const CallHooks& hooks, const Attempt& attempt) const;
  /// The error the call returns: `out_of_time` says the call's total timeout is what ended it.
  Error final_error(Error error, int attempts, bool out_of_time,
                    std::chrono::milliseconds budget) const;

  OpenAIConfig config_;
  Endpoint endpoint_;
  std::shared_ptr<CurlMulti> multi_;
  ProviderMetrics metrics_;
  // Strand-only state:
  ConcurrencyGate gate_;
  RateLimiter limiter_;
  Backoff backoff_;
};

}  // namespace opsgraph::llm::http
