#pragma once
// FakeProvider — a tiny in-process Provider for the record/replay tests: it answers "echo: " and
// the last message's content, fails with rate_limited when that content starts with "fail", and
// counts its calls. Thread-safe.

#include <atomic>
#include <opsgraph/llm/provider.hpp>
#include <string>

namespace opsgraph::llm::testing {

class FakeProvider final : public Provider {
 public:
  std::string_view name() const noexcept override { return "fake"; }
  int calls() const noexcept { return calls_.load(); }

 private:
  Task<result<ChatResponse>> do_chat(ChatRequest request, CallHooks hooks) override {
    const int number = ++calls_;
    const std::string last = request.messages.empty() ? "" : request.messages.back().content;
    if (last.starts_with("fail")) {
      co_return fail(errc::rate_limited, "slow down",
                     json::Value(json::Object{{"http_status", json::Value(429)},
                                              {"retry_after_seconds", json::Value(2)}}));
    }
    ChatResponse response;
    response.content = "echo: " + last;
    response.finish_reason = "stop";
    response.usage = {7, 3, 10};
    response.model = request.model.empty() ? "fake-model" : request.model;
    response.id = "fake-" + std::to_string(number);
    response.latency = std::chrono::milliseconds(5);
    if (request.stream && hooks.on_delta)
      hooks.on_delta(response.content);
    co_return response;
  }

  std::atomic<int> calls_{0};
};

}  // namespace opsgraph::llm::testing
