// StructuredAgent on its own: what it sends for each form of input, and its repair round.

#include <gtest/gtest.h>

#include <deque>
#include <mutex>
#include <opsgraph/agents/structured_agent.hpp>
#include <opsgraph/core/json.hpp>
#include <opsgraph/core/runtime.hpp>
#include <string>
#include <vector>

namespace opsgraph::agents {
namespace {

// Answers from a queue and keeps every request it was sent.
class ScriptedProvider final : public llm::Provider {
 public:
  explicit ScriptedProvider(std::deque<std::string> answers) : answers_(std::move(answers)) {}
  std::string_view name() const noexcept override { return "scripted"; }

  std::vector<llm::ChatRequest> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }

 private:
  Task<result<llm::ChatResponse>> do_chat(llm::ChatRequest request, llm::CallHooks) override {
    llm::ChatResponse response;
    {
      std::lock_guard lock(mutex_);
      requests_.push_back(std::move(request));
      response.content = answers_.front();
      answers_.pop_front();
    }
    response.finish_reason = "stop";
    co_return response;
  }

  mutable std::mutex mutex_;
  std::deque<std::string> answers_;
  std::vector<llm::ChatRequest> requests_;
};

StructuredAgent make_agent() {
  AgentSpec spec;
  spec.name = "echo";
  spec.system_prompt = "Answer with {\"ok\": true}.";
  spec.model = "test-model";
  spec.schema = json::parse(R"({"type": "object", "properties": {"ok": {"type": "boolean"}},
                                "required": ["ok"], "additionalProperties": false})")
                    .value();
  auto agent = StructuredAgent::create(std::move(spec));
  EXPECT_TRUE(agent) << (agent ? "" : agent.error().message);
  return std::move(agent).value();
}

TEST(StructuredAgent, SendsInputTextAsItIs) {
  Runtime runtime(Runtime::Options{.io_threads = 1, .blocking_threads = 1});
  const auto agent = make_agent();
  ScriptedProvider provider({R"({"ok": true})"});
  Usage usage;
  const std::string text = R"({"request":"restart nginx",  "extra" : [1,2]})";
  auto answer = runtime.run(agent.ask(provider, InputText{text}, usage, {{"task_id", "t-1"}}));
  ASSERT_TRUE(answer) << answer.error().message;
  EXPECT_EQ(answer.value(), json::Value(json::Object{{"ok", true}}));

  const auto sent = provider.requests();
  ASSERT_EQ(sent.size(), 1u);
  ASSERT_EQ(sent[0].messages.size(), 2u);
  EXPECT_EQ(sent[0].messages[0].role, llm::Role::system);
  EXPECT_EQ(sent[0].messages[1].role, llm::Role::user);
  EXPECT_EQ(sent[0].messages[1].content, text) << "spacing and all";
  EXPECT_EQ(sent[0].metadata.at("agent"), "echo");
  EXPECT_EQ(sent[0].metadata.at("task_id"), "t-1");
  EXPECT_EQ(usage.llm_calls, 1);
}

TEST(StructuredAgent, SendsAValueInputAsItsCompactJson) {
  Runtime runtime(Runtime::Options{.io_threads = 1, .blocking_threads = 1});
  const auto agent = make_agent();
  ScriptedProvider provider({R"({"ok": false})"});
  Usage usage;
  const json::Value input = json::Object{{"request", "restart nginx"}, {"n", 2}};
  auto answer = runtime.run(agent.ask(provider, input, usage));
  ASSERT_TRUE(answer) << answer.error().message;
  const auto sent = provider.requests();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].messages.at(1).content, json::dump(input));
}

TEST(StructuredAgent, RepairsAnAnswerThatBreaksTheSchemaWithTheSameInput) {
  Runtime runtime(Runtime::Options{.io_threads = 1, .blocking_threads = 1});
  const auto agent = make_agent();
  ScriptedProvider provider({R"({"ok": "yes"})", R"({"ok": true})"});
  Usage usage;
  auto answer = runtime.run(
      ask_as<json::Value>(agent, provider, InputText{R"({"q":1})"}, usage, CallLabels{}));
  ASSERT_TRUE(answer) << answer.error().message;
  EXPECT_EQ(usage.llm_calls, 2);
  const auto sent = provider.requests();
  ASSERT_EQ(sent.size(), 2u);
  ASSERT_EQ(sent[1].messages.size(), 4u);
  EXPECT_EQ(sent[1].messages[1].content, R"({"q":1})");
  EXPECT_EQ(sent[1].messages[2].role, llm::Role::assistant);
  EXPECT_EQ(sent[1].messages[2].content, R"({"ok": "yes"})");
  EXPECT_NE(sent[1].messages[3].content.find("$.ok"), std::string::npos)
      << sent[1].messages[3].content;
}

}  // namespace
}  // namespace opsgraph::agents
