// opsgraph_provider_* and opsgraph_reply_*: an llm::Provider made of a C chat function. Each call
// hands the function a reply token; the coroutine making the call waits, holding no thread, until
// the answer arrives from any thread or the call is cancelled (node timeout, task cancelled,
// engine stopping). What the two sides share is a ReplyState, so either may go first.

#include <sys/mman.h>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <memory>
#include <mutex>
#include <opsgraph/core/json_codec.hpp>
#include <opsgraph/llm/chat_codec.hpp>
#include <optional>
#include <unordered_map>
#include <utility>

#include "engine_handles.hpp"

namespace opsgraph::capi {
namespace {

namespace asio = boost::asio;

using Waiter = asio::any_completion_handler<void()>;

/// A suspended coroutine and the executor it resumes on. Moved by construction only (Boost
/// 1.81's any_completion_handler move assignment is broken), so kept in a std::optional.
struct Suspended {
  Waiter waiter;
  Executor executor;
};

/// What `from` holds, leaving it empty.
std::optional<Suspended> take(std::optional<Suspended>& from) {
  if (!from)
    return std::nullopt;
  std::optional<Suspended> taken(std::move(from));
  from.reset();
  return taken;
}

/// One call between the chat function and the coroutine awaiting its answer.
struct ReplyState {
  std::mutex mutex;
  std::optional<result<llm::ChatResponse>> answer;
  std::optional<Suspended> waiting;  // set while the coroutine is suspended for the answer
  bool abandoned = false;            // the coroutine stopped waiting: a late answer is dropped
};

/// Resumes a suspended coroutine on its own executor, never inline.
void resume(std::optional<Suspended> suspended) {
  if (!suspended)
    return;
  asio::post(suspended->executor, [w = std::move(suspended->waiter)]() mutable { std::move(w)(); });
}

/// Records the answer unless the call was abandoned; wakes the coroutine if it waits.
void deliver(ReplyState& state, result<llm::ChatResponse> answer) {
  std::unique_lock lock(state.mutex);
  if (state.abandoned)
    return;
  state.answer.emplace(std::move(answer));
  std::optional<Suspended> waiter = take(state.waiting);
  lock.unlock();
  resume(std::move(waiter));
}

/// Completes when `state` has an answer or the awaiting coroutine is cancelled. The cancellation
/// handler goes in the type-erased handler's own slot: wrapping a handler takes over its slot.
auto answer_or_cancellation(std::shared_ptr<ReplyState> state) {
  return asio::async_initiate<const asio::use_awaitable_t<>&, void()>(
      [state](auto handler) {
        Executor executor = asio::get_associated_executor(handler);
        Waiter waiter(std::move(handler));
        auto slot = asio::get_associated_cancellation_slot(waiter);
        std::unique_lock lock(state->mutex);
        if (state->answer) {
          lock.unlock();
          resume(std::optional<Suspended>(std::in_place,
                                          Suspended{std::move(waiter), std::move(executor)}));
          return;
        }
        if (slot.is_connected()) {
          slot.assign([weak = std::weak_ptr<ReplyState>(state)](asio::cancellation_type) {
            auto cancelled = weak.lock();
            if (!cancelled)
              return;
            std::unique_lock locked(cancelled->mutex);
            std::optional<Suspended> suspended = take(cancelled->waiting);
            locked.unlock();
            resume(std::move(suspended));
          });
        }
        state->waiting.emplace(Suspended{std::move(waiter), std::move(executor)});
      },
      asio::use_awaitable);
}

/// Reply tokens: addresses inside a reserved, inaccessible range of address space, so each is a
/// real-looking pointer (bindings that check pointers accept it) that is never dereferenced and
/// is not handed out again for 2^30 calls. The calls awaiting an answer are kept by token, so an
/// answer after the first one, or with a stale or foreign pointer, is refused without touching
/// freed memory. Process-wide and never destroyed, like the log state: a reply may come late.
class ReplyTokens {
 public:
  static ReplyTokens& instance() {
    static auto* tokens = new ReplyTokens;
    return *tokens;
  }

  result<opsgraph_reply*> issue(std::shared_ptr<ReplyState> state) {
    std::lock_guard lock(mutex_);
    if (base_ == 0) {
      void* range =
          ::mmap(nullptr, kRange, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
      if (range == MAP_FAILED)
        return make_error(errc::internal, "could not reserve address space for reply tokens");
      base_ = reinterpret_cast<std::uintptr_t>(range);
    }
    std::uintptr_t token = 0;
    do {  // after a wrap, skip the tokens of calls still waiting for their answer
      token = base_ + (next_++ % kRange);
    } while (waiting_.contains(token));
    waiting_.emplace(token, std::move(state));
    return reinterpret_cast<opsgraph_reply*>(token);
  }

  /// OPSGRAPH_OK while `reply` awaits its answer, else CONFLICT or INVALID_HANDLE (recorded).
  opsgraph_status check(const opsgraph_reply* reply) {
    std::lock_guard lock(mutex_);
    return status_of(reinterpret_cast<std::uintptr_t>(reply));
  }

  /// The call `reply` answers, now no longer waiting; nullptr with the error recorded.
  std::shared_ptr<ReplyState> take(const opsgraph_reply* reply) {
    std::lock_guard lock(mutex_);
    const auto token = reinterpret_cast<std::uintptr_t>(reply);
    if (status_of(token) != OPSGRAPH_OK)
      return nullptr;
    auto found = waiting_.find(token);
    auto state = std::move(found->second);
    waiting_.erase(found);
    return state;
  }

 private:
  static constexpr std::uintptr_t kRange = std::uintptr_t{1} << 30;

  opsgraph_status status_of(std::uintptr_t token) const {
    if (base_ == 0 || token < base_ || token >= base_ + kRange)
      return set_error(OPSGRAPH_INVALID_HANDLE, "reply is not an opsgraph reply");
    if (waiting_.find(token) == waiting_.end())
      return set_error(OPSGRAPH_CONFLICT, "reply was already answered");
    return OPSGRAPH_OK;
  }

  std::mutex mutex_;
  std::uintptr_t base_ = 0;
  std::uintptr_t next_ = 0;
  std::unordered_map<std::uintptr_t, std::shared_ptr<ReplyState>> waiting_;
};

/// The C chat function as an llm::Provider. Owns user_data: destroy runs with the last owner.
class CallbackProvider final : public llm::Provider {
 public:
  CallbackProvider(std::string name, opsgraph_chat_fn chat, void* user_data)
      : name_(std::move(name)), chat_(chat), user_data_(user_data) {}
  CallbackProvider(const CallbackProvider&) = delete;
  CallbackProvider& operator=(const CallbackProvider&) = delete;
  ~CallbackProvider() override {
    if (destroy_ != nullptr)
      destroy_(user_data_);
  }

  void set_destroy(opsgraph_destroy_fn destroy) noexcept { destroy_ = destroy; }
  std::string_view name() const noexcept override { return name_; }

 private:
  Task<result<llm::ChatResponse>> do_chat(llm::ChatRequest request, llm::CallHooks) override {
    const auto started = std::chrono::steady_clock::now();
    auto state = std::make_shared<ReplyState>();
    std::string request_json;
    opsgraph_reply* reply = nullptr;
    try {
      request_json = with_schema_version(json::encode(request));
      auto issued = ReplyTokens::instance().issue(state);
      if (!issued)
        co_return issued.error();
      reply = issued.value();
    } catch (...) {
      co_return error_from_current_exception("provider \"" + name_ + "\"");
    }
    {
      CallbackScope scope;
      chat_(request_json.c_str(), reply, user_data_);
    }
    try {
      co_await answer_or_cancellation(state);
    } catch (...) {
      // Cancelled before the wait began (Asio throws then): the answer, if any, still counts.
    }
    std::lock_guard lock(state->mutex);
    if (!state->answer) {
      state->abandoned = true;
      co_return make_error(errc::cancelled, "provider \"" + name_ +
                                                "\": the call was cancelled before the chat "
                                                "function replied");
    }
    auto answer = std::move(*state->answer);
    if (answer && answer.value().latency.count() == 0) {
      answer.value().latency = std::chrono::duration_cast<std::chrono::milliseconds>(
          std::chrono::steady_clock::now() - started);
    }
    co_return answer;
  }

  std::string name_;
  opsgraph_chat_fn chat_;
  void* user_data_;
  opsgraph_destroy_fn destroy_ = nullptr;
};

/// The checks both reply functions share before the answer itself is read.
opsgraph_status check_reply(const opsgraph_reply* reply) {
  if (auto s = require(reply, "reply"); s != OPSGRAPH_OK)
    return s;
  return ReplyTokens::instance().check(reply);
}

opsgraph_status answer(opsgraph_reply* reply, result<llm::ChatResponse> answer) {
  auto state = ReplyTokens::instance().take(reply);
  if (!state)
    return opsgraph_last_error()->code;  // answered meanwhile by another thread
  deliver(*state, std::move(answer));
  return OPSGRAPH_OK;
}

}  // namespace
}  // namespace opsgraph::capi

using namespace opsgraph;
using namespace opsgraph::capi;

extern "C" {

opsgraph_status opsgraph_provider_create(const char* name_utf8, opsgraph_chat_fn chat,
                                         void* user_data, opsgraph_destroy_fn destroy,
                                         opsgraph_provider** provider_out) {
  return guarded("opsgraph_provider_create", [&] {
    if (auto s = require(provider_out, "provider_out"); s != OPSGRAPH_OK)
      return s;
    *provider_out = nullptr;
    if (auto s = require_utf8(name_utf8, "name_utf8"); s != OPSGRAPH_OK)
      return s;
    if (chat == nullptr)
      return set_error(OPSGRAPH_NULL_ARGUMENT, "chat is NULL");
    if (name_utf8[0] == '\0')
      return set_error(OPSGRAPH_INVALID_ARGUMENT, "name_utf8 is empty");
    auto provider = std::make_shared<CallbackProvider>(name_utf8, chat, user_data);
    auto handle = std::make_unique<opsgraph_provider>(provider);
    // destroy is attached only once nothing can fail any more: on failure the caller keeps
    // ownership of user_data.
    provider->set_destroy(destroy);
    *provider_out = handle.release();
    return OPSGRAPH_OK;
  });
}

void opsgraph_provider_destroy(opsgraph_provider* provider) {
  if (provider == nullptr || provider->tag != opsgraph_provider::kTag)
    return;
  provider->tag = 0;
  delete provider;
}

opsgraph_status opsgraph_reply_ok(opsgraph_reply* reply, const char* response_json) {
  return guarded("opsgraph_reply_ok", [&] {
    if (auto s = check_reply(reply); s != OPSGRAPH_OK)
      return s;
    if (auto s = require_utf8(response_json, "response_json"); s != OPSGRAPH_OK)
      return s;
    auto response = json::decode<llm::ChatResponse>(response_json);
    if (!response) {
      Error error = response.error();
      error.message = "response_json: " + error.message;
      return set_error(error);
    }
    return answer(reply, std::move(response).value());
  });
}

opsgraph_status opsgraph_reply_error(opsgraph_reply* reply, int status, const char* message_utf8,
                                     int retryable) {
  return guarded("opsgraph_reply_error", [&] {
    if (auto s = check_reply(reply); s != OPSGRAPH_OK)
      return s;
    if (status < kErrcFirst || status > kErrcLast) {
      return set_error(OPSGRAPH_INVALID_ARGUMENT,
                       "status " + std::to_string(status) +
                           " is not an opsgraph error kind (OPSGRAPH_INVALID_ARGUMENT .. "
                           "OPSGRAPH_INTERNAL)");
    }
    if (message_utf8 != nullptr && !is_valid_utf8(message_utf8))
      return set_error(OPSGRAPH_INVALID_UTF8, "message_utf8 is not valid UTF-8");
    Error error = make_error(static_cast<errc>(status),
                             message_utf8 != nullptr && message_utf8[0] != '\0'
                                 ? std::string(message_utf8)
                                 : std::string("the provider's chat function reported a failure"));
    error.retryable = retryable != 0;
    return answer(reply, std::move(error));
  });
}

}  // extern "C"
