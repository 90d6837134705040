// Streams of chat.completion.chunk events assemble into the answer a non-streaming call gives.

#include "llm/stream_assembler.hpp"

#include <gtest/gtest.h>

#include <opsgraph/core/json.hpp>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "llm/openai_wire.hpp"
#include "unit/llm/wire_samples.hpp"

namespace opsgraph::llm {
namespace {

using wire::StreamAssembler;

result<ChatResponse> assemble(std::string_view stream, std::vector<std::string>* deltas = nullptr,
                              std::size_t piece = 0) {
  StreamAssembler assembler([deltas](std::string_view d) {
    if (deltas != nullptr)
      deltas->emplace_back(d);
  });
  if (piece == 0)
    piece = stream.size() + 1;
  for (std::size_t at = 0; at < stream.size(); at += piece) {
    OPSGRAPH_TRY(assembler.feed(stream.substr(at, piece)));
  }
  return assembler.finish();
}

std::string chunk(std::string_view choices, std::string_view extra = "") {
  return "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"m\",\"choices\":" +
         std::string(choices) + std::string(extra) + "}\n\n";
}

TEST(StreamAssembler, StreamingAndNonStreamingAnswersAreEqual) {
  std::vector<std::string> deltas;
  const result<ChatResponse> streamed = assemble(testing::kOpenAiStream, &deltas);
  ASSERT_TRUE(streamed) << streamed.error().message;
  const result<ChatResponse> whole = wire::decode_response(testing::kOpenAiAnswer);
  ASSERT_TRUE(whole);
  EXPECT_EQ(streamed.value(), whole.value());
  EXPECT_EQ(deltas.size(), 3u);  // the role-only delta carries no content
  std::string joined;
  for (const std::string& d : deltas)
    joined += d;
  EXPECT_EQ(joined, testing::kOpenAiContent);
}

TEST(StreamAssembler, ByteByByteGivesTheSameAnswer) {
  std::vector<std::string> deltas;
  const result<ChatResponse> streamed = assemble(testing::kOpenAiStream, &deltas, 1);
  ASSERT_TRUE(streamed) << streamed.error().message;
  EXPECT_EQ(streamed.value().content, testing::kOpenAiContent);
  EXPECT_EQ(streamed.value().usage.total_tokens, 150);
}

TEST(StreamAssembler, OllamaStyleStreamWithoutUsage) {
  const std::string stream =
      chunk(R"([{"index":0,"delta":{"role":"assistant","content":"He"},"finish_reason":null}])") +
      chunk(R"([{"index":0,"delta":{"role":"assistant","content":"llo"},"finish_reason":null}])") +
      chunk(R"([{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":"stop"}])") +
      "data: [DONE]\n\n";
  const result<ChatResponse> r = assemble(stream);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r.value().content, "Hello");
  EXPECT_EQ(r.value().finish_reason, "stop");
  EXPECT_EQ(r.value().usage, Usage{});
  EXPECT_EQ(r.value().model, "m");
  EXPECT_EQ(r.value().id, "c1");
}

TEST(StreamAssembler, LlamaCppStyleUsageInTheFinalChoiceChunk) {
  const std::string stream = chunk(R"([{"delta":{"content":"pong"},"finish_reason":null}])") +
                             chunk(R"([{"delta":{},"finish_reason":"stop"}])",
                                   R"(,"usage":{"prompt_tokens":3,"completion_tokens":1})") +
                             "data: [DONE]\n\n";
  const result<ChatResponse> r = assemble(stream);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r.value().content, "pong");
  EXPECT_EQ(r.value().usage, (Usage{3, 1, 4}));
}

TEST(StreamAssembler, OtherChoicesAreNotPartOfTheAnswer) {
  const std::string stream =
      chunk(R"([{"index":1,"delta":{"content":"B"}},{"index":0,"delta":{"content":"A"}}])") +
      "data: [DONE]\n\n";
  const result<ChatResponse> r = assemble(stream);
  ASSERT_TRUE(r);
  EXPECT_EQ(r.value().content, "A");
}

TEST(StreamAssembler, MissingDoneIsABadResponse) {
  StreamAssembler assembler(nullptr);
  ASSERT_TRUE(assembler.feed(chunk(R"([{"index":0,"delta":{"content":"A"}}])")));
  EXPECT_FALSE(assembler.done());
  const result<ChatResponse> r = assembler.finish();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::bad_response);
  EXPECT_NE(r.error().message.find("[DONE]"), std::string::npos);
}

TEST(StreamAssembler, NoChoiceAtAllIsABadResponse) {
  StreamAssembler assembler(nullptr);
  ASSERT_TRUE(assembler.feed(chunk("[]") + "data: [DONE]\n\n"));
  EXPECT_TRUE(assembler.done());
  const result<ChatResponse> r = assembler.finish();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::bad_response);
}

TEST(StreamAssembler, AMalformedChunkNamesItsPathAndSpendsTheAssembler) {
  StreamAssembler assembler(nullptr);
  ASSERT_TRUE(assembler.feed(chunk(R"([{"index":0,"delta":{"content":"A"}}])")));
  const result<void> bad = assembler.feed(chunk(R"([{"index":0,"delta":{"content":7}}])"));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, errc::bad_response);
  EXPECT_NE(bad.error().message.find("stream chunk 2: choices[0].delta.content"), std::string::npos)
      << bad.error().message;
  EXPECT_FALSE(assembler.feed("data: [DONE]\n\n"));
  EXPECT_FALSE(assembler.finish());
}

TEST(StreamAssembler, NonJsonChunkIsABadResponse) {
  StreamAssembler assembler(nullptr);
  const result<void> bad = assembler.feed("data: {\"choices\": [\n\n");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, errc::bad_response);
}

TEST(StreamAssembler, AnErrorObjectInTheStreamIsMapped) {
  StreamAssembler assembler(nullptr);
  const result<void> r = assembler.feed(
      R"(data: {"error":{"message":"Rate limit reached","type":"requests","code":429}})"
      "\n\n");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::rate_limited);
  EXPECT_NE(r.error().message.find("Rate limit reached"), std::string::npos);
}

TEST(StreamAssembler, AnErrorWithoutStatusIsAServerError) {
  StreamAssembler assembler(nullptr);
  const result<void> r =
      assembler.feed("event: error\ndata: {\"error\":{\"message\":\"boom\"}}\n\n");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::upstream_unavailable);
  EXPECT_EQ(*r.error().details.find("http_status")->if_integer(), 500);
}

TEST(StreamAssembler, DeltasArriveAsTheyAreFed) {
  std::vector<std::string> deltas;
  StreamAssembler assembler([&deltas](std::string_view d) { deltas.emplace_back(d); });
  ASSERT_TRUE(assembler.feed(chunk(R"([{"index":0,"delta":{"content":"one"}}])")));
  EXPECT_EQ(deltas, std::vector<std::string>{"one"});
  ASSERT_TRUE(assembler.feed(chunk(R"([{"index":0,"delta":{"content":"two"}}])")));
  EXPECT_EQ(deltas, (std::vector<std::string>{"one", "two"}));
}

// Random damage to a valid chunk: nothing crashes, and nothing that is not JSON is accepted.
TEST(StreamAssembler, DamagedChunksAreNeverAcceptedAsJson) {
  constexpr std::string_view kDamage = "{}[]\",:0-e. \x01\xff\\";
  const std::string sample =
      R"({"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[)"
      R"({"index":0,"delta":{"content":"a \"b\" \\c"},"logprobs":null,"finish_reason":null}],)"
      R"("usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}})";
  std::mt19937 random(5);
  for (int round = 0; round < 5000; ++round) {
    std::string damaged = sample;
    const int edits = 1 + static_cast<int>(random() % 3);
    for (int e = 0; e < edits; ++e)
      damaged[random() % damaged.size()] = kDamage[random() % kDamage.size()];
    StreamAssembler assembler(nullptr);
    const result<void> fed = assembler.feed("data: " + damaged + "\n\n");
    if (fed) {
      ASSERT_TRUE(json::parse(damaged)) << damaged;
    } else {
      ASSERT_NE(fed.error().code, errc::internal) << damaged << " -> " << fed.error().message;
    }
  }
}

}  // namespace
}  // namespace opsgraph::llm
