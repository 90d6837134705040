// The JSON of the chat types: round trips, names of fields, and decode errors with paths.

#include <gtest/gtest.h>

#include <opsgraph/core/json.hpp>
#include <opsgraph/llm/chat_codec.hpp>
#include <string>

namespace opsgraph::llm {
namespace {

using namespace std::chrono_literals;

ChatRequest full_request() {
  ChatRequest request;
  request.model = "gpt-4o";
  request.messages = {{Role::system, "be brief", std::nullopt},
                      {Role::user, "why?", std::nullopt},
                      {Role::assistant, "because", std::nullopt},
                      {Role::tool, "{}", std::string("call_9")}};
  request.temperature = 0.2;
  request.top_p = 0.9;
  request.max_tokens = 512;
  request.seed = 42;
  request.stop = {"END"};
  request.response_format.type = ResponseFormatType::json_schema;
  request.response_format.name = "diagnosis";
  request.response_format.schema =
      std::make_shared<const json::Value>(json::parse(R"({"type":"object"})").value());
  request.response_format.strict = false;
  request.stream = true;
  request.timeout = 1500ms;
  request.metadata = {{"task_id", "t-1"}, {"node", "diagnose"}};
  return request;
}

TEST(ChatCodec, RequestRoundTripsThroughText) {
  const ChatRequest request = full_request();
  const result<ChatRequest> back = json::decode<ChatRequest>(json::encode(request));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back.value(), request);
}

TEST(ChatCodec, RequestRoundTripsThroughValue) {
  const ChatRequest request = full_request();
  const result<ChatRequest> back = json::from_value<ChatRequest>(json::to_value(request));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back.value(), request);
}

TEST(ChatCodec, RequestFieldNames) {
  const json::Value v = json::to_value(full_request());
  EXPECT_EQ(*v.find("timeout_ms"), json::Value(1500));
  EXPECT_EQ(*v.find("metadata")->find("task_id"), json::Value("t-1"));
  EXPECT_EQ(*v.find("response_format")->find("type"), json::Value("json_schema"));
  EXPECT_EQ(*v.find("messages")->if_array()->at(3).find("role"), json::Value("tool"));
  EXPECT_EQ(*v.find("messages")->if_array()->at(3).find("tool_call_id"), json::Value("call_9"));
}

TEST(ChatCodec, AMinimalRequestDecodesWithDefaults) {
  const result<ChatRequest> r =
      json::decode<ChatRequest>(R"({"messages":[{"role":"user","content":"hi"}]})");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r.value().model, "");
  EXPECT_FALSE(r.value().timeout);
  EXPECT_EQ(r.value().response_format.type, ResponseFormatType::text);
  EXPECT_EQ(r.value().messages.size(), 1u);
}

TEST(ChatCodec, DecodeErrorsNameThePath) {
  const result<ChatRequest> role =
      json::decode<ChatRequest>(R"({"messages":[{"role":"robot","content":"hi"}]})");
  ASSERT_FALSE(role);
  EXPECT_NE(role.error().message.find("messages[0].role"), std::string::npos)
      << role.error().message;
  const result<ChatRequest> missing = json::decode<ChatRequest>(R"({"model":"m"})");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("messages"), std::string::npos);
}

TEST(ChatCodec, ResponseRoundTripWithLatencyInMilliseconds) {
  ChatResponse response;
  response.content = R"({"a":"b \"quoted\""})";
  response.finish_reason = "stop";
  response.usage = {10, 5, 15};
  response.model = "gpt-4o-2024-08-06";
  response.id = "chatcmpl-1";
  response.latency = 1234ms;
  response.attempts = 2;
  const json::Value v = json::to_value(response);
  EXPECT_EQ(*v.find("latency_ms"), json::Value(1234));
  EXPECT_EQ(*v.find("usage")->find("total_tokens"), json::Value(15));
  const result<ChatResponse> back = json::decode<ChatResponse>(json::encode(response));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back.value(), response);
}

TEST(ChatCodec, UsageCountsMayBeAbsent) {
  const result<Usage> usage = json::decode<Usage>(R"({"prompt_tokens": 3})");
  ASSERT_TRUE(usage);
  EXPECT_EQ(usage.value(), (Usage{3, 0, 0}));
}

}  // namespace
}  // namespace opsgraph::llm
