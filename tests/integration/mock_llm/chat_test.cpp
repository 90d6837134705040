// POST /v1/chat/completions: whole and streamed answers, rules, default answers, bad requests.

#include <opsgraph/core/json.hpp>

#include "server_fixture.hpp"

namespace opsgraph::mock::testing {
namespace {

const json::Value* choice_member(const json::Value& completion, std::string_view key) {
  const auto* choices = completion.find("choices");
  if (choices == nullptr || !choices->is_array() || choices->if_array()->empty())
    return nullptr;
  return choices->if_array()->front().find(key);
}

std::string content_of(const json::Value& completion) {
  const auto* message = choice_member(completion, "message");
  const auto* content = message ? message->find("content") : nullptr;
  return content && content->is_string() ? *content->if_string() : "<no content>";
}

std::int64_t usage_of(const json::Value& completion, std::string_view key) {
  const auto* usage = completion.find("usage");
  const auto* value = usage ? usage->find(key) : nullptr;
  return value && value->is_integer() ? *value->if_integer() : -1;
}

// The content deltas of a stream, joined; fails the test on a chunk that is not JSON.
std::string joined_deltas(const std::vector<std::string>& payloads) {
  std::string content;
  for (const auto& payload : payloads) {
    if (payload == "[DONE]")
      continue;
    auto chunk = json::parse(payload);
    EXPECT_TRUE(chunk) << payload;
    if (!chunk)
      continue;
    const auto* delta = choice_member(chunk.value(), "delta");
    const auto* text = delta ? delta->find("content") : nullptr;
    if (text && text->is_string())
      content += *text->if_string();
  }
  return content;
}

TEST_F(MockServerTest, AnswersAChatCompletionInOpenAiShape) {
  add_rule(text_rule("disk", "Check the disk with df -h."));
  auto client = this->client();
  auto reply = client.post("/v1/chat/completions", chat_body("gpt-4o", "my DISK is full"));
  ASSERT_FALSE(reply.error) << reply.error.message();
  EXPECT_EQ(reply.status, 200u);
  EXPECT_EQ(reply.header("content-type"), "application/json");
  auto completion = reply.json();
  EXPECT_EQ(content_of(completion), "Check the disk with df -h.");
  EXPECT_EQ(*completion.find("object"), json::Value("chat.completion"));
  EXPECT_EQ(*completion.find("model"), json::Value("gpt-4o"));
  EXPECT_TRUE(completion.find("id")->if_string()->starts_with("chatcmpl-"));
  EXPECT_EQ(*choice_member(completion, "finish_reason"), json::Value("stop"));
  EXPECT_GT(usage_of(completion, "prompt_tokens"), 0);
  EXPECT_EQ(usage_of(completion, "completion_tokens"), (26 + 3) / 4);
  EXPECT_EQ(usage_of(completion, "total_tokens"),
            usage_of(completion, "prompt_tokens") + usage_of(completion, "completion_tokens"));
}

TEST_F(MockServerTest, StreamCarriesTheSameContentAsTheWholeAnswer) {
  add_rule(text_rule("stream", "Streaming answers arrive in pieces: ünïcödé too."));
  auto client = this->client();
  const auto whole = client.post("/v1/chat/completions", chat_body("m", "stream please"));
  json::Object streaming{{"stream", true},
                         {"stream_options", json::Object{{"include_usage", true}}}};
  const auto streamed =
      client.post("/v1/chat/completions", chat_body("m", "stream please", streaming));
  ASSERT_FALSE(streamed.error) << streamed.error.message();
  EXPECT_EQ(streamed.status, 200u);
  EXPECT_EQ(streamed.header("content-type"), "text/event-stream");
  EXPECT_NE(streamed.body.find("\n: keep-alive\n"), std::string::npos);

  const auto payloads = sse_data(streamed.body);
  ASSERT_GE(payloads.size(), 6u);
  EXPECT_EQ(payloads.back(), "[DONE]");
  EXPECT_EQ(joined_deltas(payloads), content_of(whole.json()));

  auto first = json::parse(payloads.front());
  ASSERT_TRUE(first);
  EXPECT_EQ(*first.value().find("object"), json::Value("chat.completion.chunk"));
  EXPECT_EQ(*choice_member(first.value(), "delta")->find("role"), json::Value("assistant"));
  const auto content_chunks = payloads.size() - 4;  // role, finish, usage, [DONE]
  EXPECT_GE(content_chunks, 3u);

  auto finish = json::parse(payloads[payloads.size() - 3]);
  ASSERT_TRUE(finish);
  EXPECT_EQ(*choice_member(finish.value(), "finish_reason"), json::Value("stop"));
  auto usage = json::parse(payloads[payloads.size() - 2]);
  ASSERT_TRUE(usage);
  EXPECT_EQ(*usage.value().find("choices"), json::Value(json::Array{}));
  EXPECT_EQ(usage_of(usage.value(), "total_tokens"), usage_of(whole.json(), "total_tokens"));
}

TEST_F(MockServerTest, StreamWithoutIncludeUsageHasNoUsageChunk) {
  auto client = this->client();
  const auto streamed =
      client.post("/v1/chat/completions", chat_body("m", "hi", json::Object{{"stream", true}}));
  const auto payloads = sse_data(streamed.body);
  ASSERT_GE(payloads.size(), 3u);
  EXPECT_EQ(streamed.body.find("\"usage\""), std::string::npos);
  EXPECT_EQ(joined_deltas(payloads), "Mock answer to: hi");
}

TEST_F(MockServerTest, RulesMatchModelSystemAndUserFirstMatchWins) {
  Rule by_model = text_rule("", "from the model rule");
  by_model.name = "model";
  by_model.match.model = "special-model";
  add_rule(by_model);
  Rule by_system = text_rule("", "from the system rule");
  by_system.name = "system";
  by_system.match.system_contains = "PLANNER";
  add_rule(by_system);
  Rule by_regex = text_rule("", "from the regex rule");
  by_regex.name = "regex";
  by_regex.match.user_regex = "APP\\d{2}";
  add_rule(by_regex);

  auto ask = [&](std::string model, std::string system, std::string user) {
    json::Value body = json::Object{};
    body.set("model", model);
    body.set("messages", json::Array{json::Object{{"role", "system"}, {"content", system}},
                                     json::Object{{"role", "user"}, {"content", "earlier"}},
                                     json::Object{{"role", "assistant"}, {"content", "reply"}},
                                     json::Object{{"role", "user"}, {"content", user}}});
    auto client = this->client();
    return content_of(client.post("/v1/chat/completions", json::dump(body)).json());
  };
  EXPECT_EQ(ask("special-model", "you are a planner", "APP01"), "from the model rule");
  EXPECT_EQ(ask("other", "You are a Planner.", "APP01"), "from the system rule");
  EXPECT_EQ(ask("other", "writer", "check APP01 now"), "from the regex rule");
  EXPECT_EQ(ask("other", "writer", "check APP1 now"), "Mock answer to: check APP1 now");

  const auto stats = server_->stats();
  EXPECT_EQ(stats.requests_by_rule.at("model"), 1u);
  EXPECT_EQ(stats.requests_by_rule.at("system"), 1u);
  EXPECT_EQ(stats.requests_by_rule.at("regex"), 1u);
}

TEST_F(MockServerTest, LimitedRuleFallsThroughAfterItsFirstN) {
  Rule failing;
  failing.name = "fail twice";
  failing.times = 2;
  RuleResponse fault;
  fault.fault.kind = FaultKind::server_error;
  failing.responses.push_back(fault);
  add_rule(failing);
  add_rule(text_rule("", "recovered"));

  auto client = this->client();
  std::vector<unsigned> statuses;
  for (int i = 0; i < 4; ++i)
    statuses.push_back(client.post("/v1/chat/completions", chat_body("m", "x")).status);
  EXPECT_EQ(statuses, (std::vector<unsigned>{500, 500, 200, 200}));
  EXPECT_EQ(server_->stats().faults_injected.at("server_error"), 2u);
}

TEST_F(MockServerTest, ResponsesAreAnsweredInTurnAndTheLastRepeats) {
  Rule rule;
  for (const char* text : {"one", "two"}) {
    RuleResponse response;
    response.content = text;
    rule.responses.push_back(response);
  }
  RuleResponse structured;
  structured.json = json::Value(json::Object{{"step", 3}});
  structured.finish_reason = "length";
  structured.usage = llm::Usage{100, 7, 0};
  rule.responses.push_back(structured);
  add_rule(rule);

  auto client = this->client();
  EXPECT_EQ(content_of(client.post("/v1/chat/completions", chat_body("m", "a")).json()), "one");
  EXPECT_EQ(content_of(client.post("/v1/chat/completions", chat_body("m", "a")).json()), "two");
  for (int i = 0; i < 2; ++i) {
    auto third = client.post("/v1/chat/completions", chat_body("m", "a")).json();
    EXPECT_EQ(content_of(third), "{\"step\":3}");
    EXPECT_EQ(*choice_member(third, "finish_reason"), json::Value("length"));
    EXPECT_EQ(usage_of(third, "prompt_tokens"), 100);
    EXPECT_EQ(usage_of(third, "total_tokens"), 107);
  }
}

TEST_F(MockServerTest, JsonObjectDefaultIsAnObject) {
  auto client = this->client();
  json::Object format{{"response_format", json::Object{{"type", "json_object"}}}};
  auto content =
      content_of(client.post("/v1/chat/completions", chat_body("m", "x", format)).json());
  auto parsed = json::parse(content);
  ASSERT_TRUE(parsed) << content;
  EXPECT_TRUE(parsed.value().is_object());
}

TEST_F(MockServerTest, ListsTheDefaultModelAndTheModelsRulesName) {
  Rule rule = text_rule("", "x");
  rule.match.model = "gpt-4o-mini";
  add_rule(rule);
  auto client = this->client();
  auto models = client.get("/v1/models").json();
  std::vector<std::string> ids;
  for (const auto& model : *models.find("data")->if_array())
    ids.push_back(*model.find("id")->if_string());
  EXPECT_EQ(ids, (std::vector<std::string>{"mock-model", "gpt-4o-mini"}));
}

TEST_F(MockServerTest, StatsCountRequestsByPath) {
  auto client = this->client();
  client.post("/v1/chat/completions", chat_body("m", "a"));
  client.post("/v1/chat/completions", chat_body("m", "b"));
  client.get("/v1/models");
  auto stats = client.get("/stats").json();
  EXPECT_EQ(*stats.find("total_requests"), json::Value(4));
  EXPECT_EQ(*stats.find("requests_by_path")->find("/v1/chat/completions"), json::Value(2));
  EXPECT_EQ(*stats.find("requests_by_path")->find("/v1/models"), json::Value(1));
  EXPECT_EQ(*stats.find("open_connections"), json::Value(1));

  server_->reset_stats();
  EXPECT_EQ(server_->stats().total_requests, 0u);
  EXPECT_EQ(server_->stats().open_connections, 1u);
}

// An OpenAI error body: {"error": {"message": "...", "type": "...", "code": ...}}.
void expect_openai_error(const Reply& reply, unsigned status, std::string_view type) {
  EXPECT_EQ(reply.status, status) << reply.body;
  auto body = reply.json();
  const auto* error = body.find("error");
  ASSERT_NE(error, nullptr) << reply.body;
  EXPECT_TRUE(error->find("message") && error->find("message")->is_string()) << reply.body;
  EXPECT_EQ(*error->find("type"), json::Value(type)) << reply.body;
  EXPECT_NE(error->find("code"), nullptr) << reply.body;
}

TEST_F(MockServerTest, BadRequestsGetOpenAiShapedErrors) {
  auto client = this->client();
  for (const char* body :
       {"not json", "[1,2]", "{\"messages\": []}", "{\"model\": \"m\", \"messages\": []}",
        "{\"model\": \"m\", \"messages\": [{\"content\": \"no role\"}]}",
        "{\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": 5}]}",
        "{\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": "
        "\"x\"}], \"stream\": \"yes\"}"}) {
    SCOPED_TRACE(body);
    expect_openai_error(client.post("/v1/chat/completions", body), 400, "invalid_request_error");
  }
  expect_openai_error(client.get("/v1/nothing"), 404, "invalid_request_error");
  expect_openai_error(client.get("/v1/chat/completions"), 405, "invalid_request_error");
  // The connection is still usable after refused requests.
  EXPECT_EQ(client.post("/v1/chat/completions", chat_body("m", "fine")).status, 200u);
  const auto stats = server_->stats();
  EXPECT_EQ(stats.requests_by_path.at("/v1/chat/completions"), 9u);
  EXPECT_EQ(stats.requests_by_path.at("(other)"), 1u);
}

TEST_F(MockServerTest, AnswersExpect100ContinueBeforeTheBody) {
  auto client = this->client();
  const auto body = chat_body("m", std::string(2048, 'q'));
  const auto interim = client.raw_until(
      "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: 100-continue\r\n"
      "Content-Type: application/json\r\nContent-Length: " +
          std::to_string(body.size()) + "\r\n\r\n",
      "\r\n\r\n");
  EXPECT_EQ(interim, "HTTP/1.1 100 Continue\r\n\r\n");
  auto reply = client.raw(body);
  EXPECT_EQ(reply.status, 200u);
  EXPECT_EQ(content_of(reply.json()), "Mock answer to: " + std::string(80, 'q'));
}

// Requests that cannot be read as HTTP are refused by the shared HTTP server before any route is
// known, so they carry its RFC 9457 problem bodies, not OpenAI error objects.
void expect_problem(const Reply& reply, unsigned status) {
  EXPECT_EQ(reply.status, status) << reply.body;
  EXPECT_EQ(reply.header("content-type"), "application/problem+json");
  EXPECT_EQ(reply.header("connection"), "close");
  auto body = reply.json();
  ASSERT_NE(body.find("status"), nullptr) << reply.body;
  EXPECT_EQ(*body.find("status"), json::Value(static_cast<int>(status))) << reply.body;
  EXPECT_TRUE(body.find("detail") && body.find("detail")->is_string()) << reply.body;
}

TEST_F(MockServerTest, OversizedBodyIs413AndMalformedHttpIs400) {
  ServerOptions options;
  options.max_request_bytes = 1024;
  start(options);
  auto big = client();
  expect_problem(big.post("/v1/chat/completions", chat_body("m", std::string(4096, 'x'))), 413);
  auto garbage = client();
  expect_problem(garbage.raw("NOT HTTP AT ALL\r\n\r\n"), 400);
  EXPECT_EQ(client().post("/v1/chat/completions", chat_body("m", "ok")).status, 200u);
}

}  // namespace
}  // namespace opsgraph::mock::testing
