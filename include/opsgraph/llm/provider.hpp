#pragma once
// opsgraph::llm::Provider — the seam between opsgraph and a language model. Agents call
// `co_await provider.chat(request)`; the implementation decides how the request reaches a model:
// the OpenAI-compatible HTTP client (<opsgraph/llm/openai.hpp>), a cassette
// (<opsgraph/llm/replay.hpp>), a recorder around another provider, or a user's own subclass.
//
// Thread-safety: chat() may be called from many coroutines and threads at once; implementations
// must allow that. A provider must outlive every call in flight on it.

#include <chrono>
#include <functional>
#include <opsgraph/core/error.hpp>
#include <opsgraph/core/result.hpp>
#include <opsgraph/core/task.hpp>
#include <opsgraph/llm/chat.hpp>
#include <optional>
#include <string_view>

namespace opsgraph::llm {

/// One HTTP attempt of a call, reported as it ends (successful or not).
struct Attempt {
  /// 1 for the first attempt.
  int number = 1;
  /// The HTTP status, or 0 when no response arrived (connection failure, timeout).
  int http_status = 0;
  /// Why the attempt failed; nullopt when it succeeded.
  std::optional<Error> error;
  /// The wait before the next attempt; nullopt when there will be none.
  std::optional<std::chrono::milliseconds> retry_in;
  /// How long the attempt took.
  std::chrono::milliseconds elapsed{0};
};

/// Per-call observers. Each is optional and is called on the thread running the call, never
/// concurrently for one call; it must not throw (an exception is swallowed and logged).
struct CallHooks {
  /// With ChatRequest::stream: each piece of content as it arrives, in order.
  std::function<void(std::string_view delta)> on_delta;
  /// After every HTTP attempt, retried or final.
  std::function<void(const Attempt& attempt)> on_attempt;
};

/// A language model behind an interface. chat() holds no thread while the answer is awaited, and
/// stops early when the awaiting coroutine is cancelled (Asio cancellation), failing with
/// errc::cancelled. Failures use errc: rate_limited (details.retry_after_seconds), timeout,
/// upstream_unavailable, bad_response, unauthorized, invalid_argument (the server rejected the
/// request), context_too_long, content_filtered, cancelled.
class Provider {
 public:
  virtual ~Provider() = default;

  Task<result<ChatResponse>> chat(ChatRequest request) {
    return do_chat(std::move(request), CallHooks{});
  }
  Task<result<ChatResponse>> chat(ChatRequest request, CallHooks hooks) {
    return do_chat(std::move(request), std::move(hooks));
  }

  /// A short label for logs and metrics ("openai", "replay", ...).
  virtual std::string_view name() const noexcept = 0;

 private:
  /// Implementations override this. Both arguments are owned by the coroutine frame.
  virtual Task<result<ChatResponse>> do_chat(ChatRequest request, CallHooks hooks) = 0;
};

}  // namespace opsgraph::llm
