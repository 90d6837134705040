#include "llm/http/openai_provider.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "llm/openai_wire.hpp"

namespace opsgraph::llm::http {

namespace asio = boost::asio;
using std::chrono::milliseconds;
using std::chrono::steady_clock;

namespace {

constexpr std::string_view kComponent = "llm";

bool is_retried_status(int status) {
  return status == 408 || status == 409 || status == 429 || (status >= 500 && status <= 599);
}

milliseconds millis_between(steady_clock::time_point from, steady_clock::time_point to) {
  return std::chrono::duration_cast<milliseconds>(to - from);
}

Task<bool> is_cancelled() {
  const auto state = co_await asio::this_coro::cancellation_state;
  co_return state.cancelled() != asio::cancellation_type::none;
}

Error cancelled_error() {
  return make_error(errc::cancelled, "the LLM call was cancelled");
}

}  // namespace

result<std::shared_ptr<OpenAIProvider>> OpenAIProvider::create(Executor executor,
                                                               OpenAIConfig config) {
  OPSGRAPH_TRY(validate(config));
  OPSGRAPH_TRY(auto endpoint, make_endpoint(config));
  OPSGRAPH_TRY(auto multi, CurlMulti::create(asio::make_strand(std::move(executor))));
  if (!config.verify_tls) {
    config.logger.warn(kComponent,
                       "TLS certificate verification is off: the LLM server's identity is not "
                       "checked",
                       {{"url", endpoint.display_url}});
  }
  config.logger.debug(kComponent, "OpenAI-compatible provider ready",
                      {{"config", to_string(config)}, {"api_key_set", endpoint.has_key}});
  return std::shared_ptr<OpenAIProvider>(
      new OpenAIProvider(std::move(config), std::move(endpoint), std::move(multi)));
}

OpenAIProvider::OpenAIProvider(OpenAIConfig config, Endpoint endpoint,
                               std::shared_ptr<CurlMulti> multi)
    : config_(std::move(config)),
      endpoint_(std::move(endpoint)),
      multi_(std::move(multi)),
      metrics_(config_.metrics, "openai", config_.logger),
      gate_(config_.max_concurrent),
      limiter_(config_.requests_per_minute, config_.tokens_per_minute, steady_clock::now()),
      backoff_(config_.retry) {}

Task<result<ChatResponse>> OpenAIProvider::do_chat(ChatRequest request, CallHooks hooks) {
  auto out = std::make_shared<std::optional<result<ChatResponse>>>();
  auto relay = std::make_shared<detail::CancelRelay>();
  // The caller's cancellation reaches the call through the relay (see cancel_relay.hpp). The
  // handler is installed and removed on the caller's executor, where its slot is emitted.
  auto slot = (co_await asio::this_coro::cancellation_state).slot();
  if (slot.is_connected()) {
    slot.assign([relay, strand = multi_->strand()](asio::cancellation_type type) {
      asio::post(strand, [relay, type] { relay->deliver(type); });
    });
  }
  try {
    // The call runs on the strand as its own coroutine.
    auto body = run_on_strand(shared_from_this(), std::move(request), std::move(hooks), out, relay);
    auto bound = asio::bind_cancellation_slot(relay->signal.slot(), asio::use_awaitable);
    co_await asio::co_spawn(multi_->strand(), std::move(body), std::move(bound));
  } catch (...) {
    if (!*out)
      out->emplace(error_from_current_exception("LLM call"));
  }
  if (slot.is_connected())
    slot.clear();
  if (!*out)
    co_return make_error(errc::internal, "the LLM call ended without a result");
  co_return std::move(**out);
}

Task<void> OpenAIProvider::run_on_strand(std::shared_ptr<OpenAIProvider> self, ChatRequest request,
                                         CallHooks hooks,
                                         std::shared_ptr<std::optional<result<ChatResponse>>> out,
                                         std::shared_ptr<detail::CancelRelay> relay) {
  relay->started = true;
  if (relay->early) {
    out->emplace(cancelled_error());
  } else {
    try {
      auto job = self->call(std::move(request), std::move(hooks));
      out->emplace(co_await std::move(job));
    } catch (...) {
      out->emplace(error_from_current_exception("LLM call"));
    }
  }
  relay->finished = true;
}

Task<result<ChatResponse>> OpenAIProvider::call(ChatRequest request, CallHooks hooks) {
  // Errors, not exceptions, report a cancelled wait; partial cancellation (the graph's "stop
  // this node") is honoured as well as terminal.
  co_await asio::this_coro::throw_if_cancelled(false);
  co_await asio::this_coro::reset_cancellation_state(asio::enable_partial_cancellation());

  const auto started = steady_clock::now();
  const milliseconds budget = request.timeout.value_or(config_.total_timeout);
  const SteadyTime deadline = started + budget;
  const std::int64_t estimate = estimate_tokens(request);
  // Every attempt sends the same body. Encoded once, the request's messages and schema can go:
  // they were most of a call's memory while it waits on the server.
  const std::string body = wire::encode_request(request, config_.model);
  const bool stream = request.stream;
  request = ChatRequest{};

  auto admission = gate_.acquire(multi_->strand(), deadline);
  auto permit = co_await std::move(admission);
  if (!permit)
    co_return failed(std::move(permit).error(), started);

  for (int number = 1;; ++number) {
    auto ready = co_await ready_for_attempt(estimate, deadline);
    if (!ready)
      co_return failed(final_error(std::move(ready).error(), number - 1,
                                   steady_clock::now() >= deadline, budget),
                       started);

    const auto attempt_start = steady_clock::now();
    // Rounded up, so that an attempt bounded by the call's deadline never ends before it.
    const milliseconds time_left = std::chrono::ceil<milliseconds>(deadline - attempt_start);
    const bool bounded_by_deadline = time_left <= config_.attempt_timeout;
    const milliseconds attempt_budget = std::min(config_.attempt_timeout, time_left);
    auto job = attempt(&body, stream, &hooks, attempt_budget);
    AttemptOutcome outcome = co_await std::move(job);

    Attempt attempt{number, outcome.http_status, outcome.error, std::nullopt,
                    millis_between(attempt_start, steady_clock::now())};
    if (outcome.response) {
      report(hooks, attempt);
      ChatResponse response = std::move(*outcome.response);
      response.attempts = number;
      response.latency = millis_between(started, steady_clock::now());
      limiter_.settle(estimate, response.usage.total_tokens);
      metrics_.succeeded(response);
      co_return response;
    }
    // An attempt that timed out on the call's deadline leaves no time for another.
    const bool out_of_time = (bounded_by_deadline && outcome.error->code == errc::timeout) ||
                             steady_clock::now() >= deadline;
    if (!out_of_time)
      attempt.retry_in = retry_delay(outcome, number, deadline);
    report(hooks, attempt);
    if (!attempt.retry_in) {
      co_return failed(final_error(std::move(*outcome.error), number, out_of_time, budget),
                       started);
    }
    auto slept = co_await sleep_until(steady_clock::now() + *attempt.retry_in);
    if (!slept)
      co_return failed(std::move(slept).error(), started);
  }
}

Task<result<void>> OpenAIProvider::ready_for_attempt(std::int64_t tokens, SteadyTime deadline) {
  OPSGRAPH_CO_TRY(co_await pace(tokens, deadline));
  if (co_await is_cancelled())
    co_return cancelled_error();
  if (steady_clock::now() >= deadline)
    co_return make_error(errc::timeout, "no time left for another attempt");
  co_return ok();
}

Task<OpenAIProvider::AttemptOutcome> OpenAIProvider::attempt(const std::string* body, bool stream,
                                                             const CallHooks* hooks,
                                                             milliseconds timeout) {
  std::optional<wire::StreamAssembler> assembler;
  Transfer::StreamSink sink;
  if (stream) {
    assembler.emplace([this, hooks](std::string_view delta) {
      if (!hooks->on_delta)
        return;
      try {
        hooks->on_delta(delta);
      } catch (...) {
        config_.logger.warn(kComponent, "on_delta hook threw; exception ignored");
      }
    });
    sink = [&assembler](std::string_view bytes) { return assembler->feed(bytes); };
  }
  auto created = Transfer::create(multi_, http_request(*body, stream, timeout), std::move(sink));
  if (!created) {
    AttemptOutcome outcome;
    outcome.error = std::move(created).error();
    co_return outcome;
  }
  std::unique_ptr<Transfer> transfer = std::move(created).value();
  auto run = transfer->run();
  auto http = co_await std::move(run);
  metrics_.attempt();
  co_return judge(std::move(http), transfer->streamed(), assembler);
}

std::optional<milliseconds> OpenAIProvider::retry_delay(const AttemptOutcome& outcome, int number,
                                                        SteadyTime deadline) {
  if (!outcome.worth_retrying || number >= config_.retry.max_attempts)
    return std::nullopt;
  // The longer of the client's backoff and the server's hint, if it fits in the time left.
  const milliseconds delay =
      std::max(backoff_.next(number), outcome.server_hint.value_or(milliseconds{0}));
  if (steady_clock::now() + delay >= deadline)
    return std::nullopt;
  return delay;
}

Error OpenAIProvider::failed(Error error, SteadyTime started) {
  metrics_.failed(error.code, millis_between(started, steady_clock::now()));
  return error;
}

Task<result<void>> OpenAIProvider::pace(std::int64_t tokens, SteadyTime deadline) {
  const auto now = steady_clock::now();
  const milliseconds wait = limiter_.reserve(now, tokens);
  if (wait.count() == 0)
    co_return ok();
  if (now + wait >= deadline) {
    limiter_.cancel(tokens);
    json::Value details;
    details.set("retry_after_seconds", static_cast<double>(wait.count()) / 1000.0);
    co_return make_error(errc::rate_limited,
                         "the client-side rate limit (requests_per_minute / tokens_per_minute) "
                         "needs a wait of " +
                             std::to_string(wait.count()) +
                             " ms, longer than the call's remaining time",
                         std::move(details));
  }
  auto slept = co_await sleep_until(now + wait);
  if (!slept)
    limiter_.cancel(tokens);
  co_return slept;
}

Task<result<void>> OpenAIProvider::sleep_until(SteadyTime until) {
  asio::steady_timer timer(multi_->strand(), until);
  auto [ec] = co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
  if (ec)
    co_return cancelled_error();
  co_return ok();
}

HttpRequest OpenAIProvider::http_request(const std::string& body, bool stream,
                                         milliseconds timeout) const {
  HttpRequest http;
  http.url = endpoint_.url;
  http.display_url = endpoint_.display_url;
  http.headers = endpoint_.headers;
  http.body = body;
  http.timeout = timeout;
  http.connect_timeout = std::min(config_.connect_timeout, timeout);
  http.verify_tls = config_.verify_tls;
  http.ca_file = config_.ca_file;
  http.ca_path = config_.ca_path;
  http.user_agent = config_.user_agent;
  http.max_body_bytes = config_.max_response_bytes;
  http.stream = stream;
  return http;
}

OpenAIProvider::AttemptOutcome OpenAIProvider::judge(
    result<HttpResponse> http, bool partly_streamed,
    std::optional<wire::StreamAssembler>& assembler) const {
  AttemptOutcome outcome;
  if (!http) {
    // The transport's error says whether another attempt may help; a stream that already
    // reached the caller cannot be taken back, so it is never repeated.
    Error error = std::move(http).error();
    outcome.worth_retrying = error.retryable && !partly_streamed;
    if (error.retryable && partly_streamed)
      error.message += " (after part of the answer was streamed, so it is not retried)";
    outcome.error = std::move(error);
    return outcome;
  }
  const HttpResponse& response = http.value();
  outcome.http_status = response.status;
  if (response.status >= 200 && response.status <= 299) {
    auto decoded = response.streamed ? assembler->finish() : wire::decode_response(response.body);
    if (decoded)
      outcome.response = std::move(decoded).value();
    else
      outcome.error = std::move(decoded).error();
    return outcome;
  }
  Error error = wire::decode_error(response.status, response.body);
  outcome.server_hint = server_retry_hint(response.headers, SystemClock::now());
  if (outcome.server_hint && (error.details.is_null() || error.details.is_object())) {
    error.details.set("retry_after_seconds",
                      static_cast<double>(outcome.server_hint->count()) / 1000.0);
  }
  outcome.worth_retrying = is_retried_status(response.status);
  outcome.error = std::move(error);
  return outcome;
}

void OpenAIProvider::report(const CallHooks& hooks, const Attempt& attempt) const {
  const Logger& log = config_.logger;
  if (attempt.retry_in) {
    log.info(kComponent, "retrying LLM call",
             {{"url", endpoint_.display_url},
              {"attempt", attempt.number},
              {"status", attempt.http_status},
              {"error", to_string(attempt.error->code)},
              {"message", attempt.error->message},
              {"retry_in_ms", static_cast<std::int64_t>(attempt.retry_in->count())},
              {"elapsed_ms", static_cast<std::int64_t>(attempt.elapsed.count())}});
  } else if (attempt.error) {
    log.warn(kComponent, "LLM call failed",
             {{"url", endpoint_.display_url},
              {"attempt", attempt.number},
              {"status", attempt.http_status},
              {"error", to_string(attempt.error->code)},
              {"message", attempt.error->message},
              {"elapsed_ms", static_cast<std::int64_t>(attempt.elapsed.count())}});
  } else if (log.enabled(LogLevel::debug)) {
    log.debug(kComponent, "LLM call answered",
              {{"url", endpoint_.display_url},
               {"attempt", attempt.number},
               {"status", attempt.http_status},
               {"elapsed_ms", static_cast<std::int64_t>(attempt.elapsed.count())}});
  }
  if (!hooks.on_attempt)
    return;
  try {
    hooks.on_attempt(attempt);
  } catch (...) {
    log.warn(kComponent, "on_attempt hook threw; exception ignored");
  }
}

Error OpenAIProvider::final_error(Error error, int attempts, bool out_of_time,
                                  milliseconds budget) const {
  if (error.code == errc::timeout && out_of_time) {
    error.message = "the LLM call exceeded its total timeout of " + std::to_string(budget.count()) +
                    " ms (" + std::to_string(attempts) + " attempt(s)): " + error.message;
  }
  if (error.details.is_null() || error.details.is_object())
    error.details.set("attempts", attempts);
  // Retries of transport and HTTP failures belong to the provider alone (one owner per
  // failure): what it returns is final, so a graph node's retry policy does not multiply them.
  error.retryable = false;
  return error;
}

}  // namespace opsgraph::llm::http
