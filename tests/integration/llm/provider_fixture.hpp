#pragma once
// OpenAIProviderTest — a fixture for the OpenAI-compatible provider against the mock LLM server
// on 127.0.0.1: a client Runtime of two io threads, a mock started per test, rule helpers, a
// provider config with fast retries whose log lines are captured, and a blocking chat() helper.

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <atomic>
#include <future>
#include <memory>
#include <mutex>
#include <opsgraph/core/runtime.hpp>
#include <opsgraph/llm/openai.hpp>
#include <opsgraph/mock/llm_server.hpp>
#include <string>
#include <vector>

namespace opsgraph::llm::testing {

/// A key that must never show up anywhere the provider writes.
inline constexpr std::string_view kTestKey = "sk-test-opsgraph-9f8e7d6c5b4a39281706SECRET";

/// Log lines a provider wrote, kept for inspection. Thread-safe.
class LogCapture {
 public:
  Logger logger(LogLevel level = LogLevel::trace) {
    return Logger::with_sink(level, [this](const LogRecord& record) {
      const std::lock_guard lock(mutex_);
      lines_.push_back(format_logfmt(record));
    });
  }
  std::vector<std::string> lines() const {
    const std::lock_guard lock(mutex_);
    return lines_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> lines_;
};

/// A rule for every request: `faults` in turn, each answered once, then the default answer.
inline mock::Rule fault_rule(std::vector<mock::Fault> faults) {
  mock::Rule rule;
  rule.name = "faults";
  rule.times = faults.size();
  for (const mock::Fault& fault : faults) {
    mock::RuleResponse response;
    response.fault = fault;
    rule.responses.push_back(std::move(response));
  }
  return rule;
}

inline mock::Fault fault(mock::FaultKind kind) {
  mock::Fault f;
  f.kind = kind;
  return f;
}

/// A rule answering every request with `content`.
inline mock::Rule answer_rule(std::string content) {
  mock::Rule rule;
  rule.name = "answer";
  mock::RuleResponse response;
  response.content = std::move(content);
  rule.responses.push_back(std::move(response));
  return rule;
}

/// A rule answering every request with `content` after a fixed `latency`.
inline mock::Rule slow_answer_rule(std::string content, std::chrono::milliseconds latency) {
  mock::Rule rule = answer_rule(std::move(content));
  rule.responses[0].fault.latency_min = latency;
  rule.responses[0].fault.latency_max = latency;
  return rule;
}

inline ChatRequest ask(std::string text, bool stream = false) {
  ChatRequest request;
  request.messages.push_back(Message{Role::user, std::move(text), std::nullopt});
  request.stream = stream;
  return request;
}

/// Raises the soft limit of open files to `wanted` (or the hard limit, if lower).
inline void raise_open_file_limit(rlim_t wanted) {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0)
    return;
  const rlim_t target = limit.rlim_max == RLIM_INFINITY ? wanted : std::min(wanted, limit.rlim_max);
  if (limit.rlim_cur < target) {
    limit.rlim_cur = target;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

/// Counts a batch of concurrent calls: how many answered with the expected content, and a
/// future that is ready once every call has ended.
struct CallTally {
  CallTally(int calls, std::string expected)
      : remaining(calls), expected_content(std::move(expected)) {}
  std::atomic<int> remaining;
  std::atomic<int> succeeded{0};
  std::string expected_content;
  std::promise<void> all_done;
};

/// One call of a batch, recorded in `tally`.
inline Task<void> call_and_count(std::shared_ptr<Provider> provider, ChatRequest request,
                                 CallTally* tally) {
  auto call = provider->chat(std::move(request));
  const auto answer = co_await std::move(call);
  if (answer && answer.value().content == tally->expected_content)
    tally->succeeded.fetch_add(1);
  if (tally->remaining.fetch_sub(1) == 1)
    tally->all_done.set_value();
}

class OpenAIProviderTest : public ::testing::Test {
 protected:
  void SetUp() override { start_server(mock::ServerOptions{}); }

  void start_server(const mock::ServerOptions& options) {
    server_.reset();
    auto started = mock::MockLlmServer::start(options);
    ASSERT_TRUE(started) << started.error().message;
    server_ = std::move(started.value());
  }

  void add_rule(mock::Rule rule) {
    auto added = server_->add_rule(std::move(rule));
    ASSERT_TRUE(added) << added.error().message;
  }

  /// The mock's URL, the test key, quick retries and captured logs.
  OpenAIConfig config() {
    OpenAIConfig config;
    config.base_url = server_->base_url();
    config.api_key = std::string(kTestKey);
    config.model = "mock-model";
    config.retry.base_delay = std::chrono::milliseconds{10};
    config.retry.max_delay = std::chrono::milliseconds{50};
    config.retry.jitter_seed = 7;
    config.logger = logs_.logger();
    return config;
  }

  std::shared_ptr<Provider> provider(OpenAIConfig config) {
    auto made = make_openai_provider(runtime_.executor(), std::move(config));
    EXPECT_TRUE(made) << made.error().message;
    return made ? made.value() : nullptr;
  }

  /// Runs one call to completion, recording its attempts.
  result<ChatResponse> chat(Provider& provider, ChatRequest request,
                            std::vector<Attempt>* attempts = nullptr,
                            std::vector<std::string>* deltas = nullptr) {
    CallHooks hooks;
    if (attempts != nullptr)
      hooks.on_attempt = [attempts](const Attempt& a) { attempts->push_back(a); };
    if (deltas != nullptr)
      hooks.on_delta = [deltas](std::string_view d) { deltas->emplace_back(d); };
    return runtime_.run(provider.chat(std::move(request), std::move(hooks)));
  }

  std::uint64_t chat_requests() const {
    const auto stats = server_->stats();
    const auto it = stats.requests_by_path.find("/v1/chat/completions");
    return it == stats.requests_by_path.end() ? 0 : it->second;
  }

  LogCapture logs_;
  std::unique_ptr<mock::MockLlmServer> server_;
  Runtime runtime_{Runtime::Options{.io_threads = 2, .blocking_threads = 1}};
};

}  // namespace opsgraph::llm::testing
