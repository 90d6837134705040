// The OpenAI wire format: request bodies, answers of each server flavour, malformed answers and
// error bodies.

#include "llm/openai_wire.hpp"

#include <gtest/gtest.h>

#include <opsgraph/core/json.hpp>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "unit/llm/wire_samples.hpp"

namespace opsgraph::llm {
namespace {

using namespace std::chrono_literals;

json::Value encoded(const ChatRequest& request, std::string_view model = "default-model") {
  result<json::Value> body = json::parse(wire::encode_request(request, model));
  EXPECT_TRUE(body) << body.error().message;
  return body ? body.value() : json::Value();
}

ChatRequest two_messages() {
  ChatRequest request;
  request.messages = {{Role::system, "You are terse.", std::nullopt},
                      {Role::user, "Why is APP01 at 100% CPU?", std::nullopt}};
  return request;
}

TEST(EncodeRequest, MinimalRequestSendsModelAndMessagesOnly) {
  const json::Value body = encoded(two_messages());
  const json::Value expected = json::parse(R"({"model": "default-model", "messages": [
      {"role": "system", "content": "You are terse."},
      {"role": "user", "content": "Why is APP01 at 100% CPU?"}]})")
                                   .value();
  EXPECT_EQ(body, expected);
}

TEST(EncodeRequest, RequestModelWinsOverTheDefault) {
  ChatRequest request = two_messages();
  request.model = "gpt-4o-mini";
  EXPECT_EQ(*encoded(request).find("model")->if_string(), "gpt-4o-mini");
}

TEST(EncodeRequest, EachOptionalFieldIsSentWhenSet) {
  ChatRequest request = two_messages();
  request.temperature = 0.25;
  request.top_p = 0.5;
  request.max_tokens = 800;
  request.seed = 7;
  request.stop = {"END", "\n\n"};
  request.messages.push_back({Role::tool, "{\"ok\":true}", std::string("call_1")});
  const json::Value body = encoded(request);
  EXPECT_EQ(body.find("temperature")->as_double(), 0.25);
  EXPECT_EQ(body.find("top_p")->as_double(), 0.5);
  EXPECT_EQ(*body.find("max_tokens")->if_integer(), 800);
  EXPECT_EQ(*body.find("seed")->if_integer(), 7);
  EXPECT_EQ(*body.find("stop"), json::Value(json::Array{"END", "\n\n"}));
  const json::Value& tool = body.find("messages")->if_array()->back();
  EXPECT_EQ(*tool.find("role")->if_string(), "tool");
  EXPECT_EQ(*tool.find("tool_call_id")->if_string(), "call_1");
  EXPECT_EQ(body.find("response_format"), nullptr);
  EXPECT_EQ(body.find("stream"), nullptr);
}

TEST(EncodeRequest, MetadataAndTimeoutNeverLeaveTheProcess) {
  ChatRequest request = two_messages();
  request.metadata = {{"task_id", "t-1"}};
  request.timeout = 30s;
  const std::string text = wire::encode_request(request, "m");
  EXPECT_EQ(text.find("task_id"), std::string::npos);
  EXPECT_EQ(text.find("timeout"), std::string::npos);
  EXPECT_EQ(text.find("metadata"), std::string::npos);
}

TEST(EncodeRequest, JsonObjectFormat) {
  ChatRequest request = two_messages();
  request.response_format.type = ResponseFormatType::json_object;
  EXPECT_EQ(*encoded(request).find("response_format"),
            json::parse(R"({"type": "json_object"})").value());
}

TEST(EncodeRequest, JsonSchemaFormatHasTheOpenAiShape) {
  ChatRequest request = two_messages();
  request.response_format.type = ResponseFormatType::json_schema;
  request.response_format.name = "diagnosis";
  request.response_format.schema =
      std::make_shared<const json::Value>(json::parse(R"({"type": "object"})").value());
  request.response_format.strict = false;
  EXPECT_EQ(*encoded(request).find("response_format"),
            json::parse(R"({"type": "json_schema", "json_schema":
                {"name": "diagnosis", "schema": {"type": "object"}, "strict": false}})")
                .value());
}

TEST(EncodeRequest, JsonSchemaWithoutANameIsSentAsResponse) {
  ChatRequest request = two_messages();
  request.response_format.type = ResponseFormatType::json_schema;
  const json::Value body = encoded(request);
  EXPECT_EQ(*body.find("response_format")->find("json_schema")->find("name")->if_string(),
            "response");
}

TEST(EncodeRequest, StreamAsksForUsageInTheLastChunk) {
  ChatRequest request = two_messages();
  request.stream = true;
  const json::Value body = encoded(request);
  EXPECT_EQ(*body.find("stream"), json::Value(true));
  EXPECT_EQ(*body.find("stream_options"), json::parse(R"({"include_usage": true})").value());
}

TEST(DecodeResponse, OpenAiAnswerWithEscapedJsonContent) {
  const result<ChatResponse> r = wire::decode_response(testing::kOpenAiAnswer);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r.value().content, testing::kOpenAiContent);
  EXPECT_EQ(r.value().finish_reason, "stop");
  EXPECT_EQ(r.value().usage, (Usage{120, 30, 150}));
  EXPECT_EQ(r.value().model, "gpt-4o-2024-08-06");
  EXPECT_EQ(r.value().id, "chatcmpl-9x1");
}

TEST(DecodeResponse, VllmAnswer) {
  const result<ChatResponse> r = wire::decode_response(testing::kVllmAnswer);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r.value().content, "hello");
  EXPECT_EQ(r.value().finish_reason, "length");
  EXPECT_EQ(r.value().usage, (Usage{5, 4, 9}));
}

TEST(DecodeResponse, OllamaAnswerWithoutTotalTokens) {
  const result<ChatResponse> r = wire::decode_response(testing::kOllamaAnswer);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r.value().usage, (Usage{10, 2, 12}));
  EXPECT_EQ(r.value().model, "llama3.1:8b");
}

TEST(DecodeResponse, LlamaCppAnswerWithoutUsageOrIndex) {
  const result<ChatResponse> r = wire::decode_response(testing::kLlamaCppAnswer);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r.value().content, "pong");
  EXPECT_EQ(r.value().usage, Usage{});
  EXPECT_EQ(r.value().id, "chatcmpl-abc");
}

TEST(DecodeResponse, EveryTruncationIsABadResponse) {
  const std::string_view full = testing::kOpenAiAnswer;
  for (std::size_t n = 0; n < full.size(); ++n) {
    const result<ChatResponse> r = wire::decode_response(full.substr(0, n));
    ASSERT_FALSE(r) << "prefix of " << n << " bytes decoded";
    EXPECT_EQ(r.error().code, errc::bad_response) << n << ": " << r.error().message;
  }
}

struct Malformed {
  std::string_view body;
  std::string_view path;  // what the message must name
};

TEST(DecodeResponse, MalformedAnswersNameThePath) {
  const std::vector<Malformed> cases = {
      {R"({"choices":[{"message":{"content":42}}]})", "choices[0].message.content"},
      {R"({"choices":[{"message":{"content":null}}]})", "choices[0].message.content"},
      {R"({"choices":[{"message":{}}]})", "choices[0].message.content"},
      {R"({"choices":[{"finish_reason":"stop"}]})", "choices[0].message"},
      {R"({"choices":[{"message":"hi"}]})", "choices[0].message"},
      {R"({"choices":{}})", "choices"},
      {R"({"choices":[]})", "choices"},
      {R"({"id":"x"})", "choices"},
      {R"({"choices":[{"message":{"content":"a"}}],"usage":{"prompt_tokens":"7"}})",
       "usage.prompt_tokens"},
      {R"({"choices":[{"message":{"content":"a"}}],"usage":{"prompt_tokens":1.5}})",
       "usage.prompt_tokens"},
      {R"({"choices":[{"message":{"content":"a"},"finish_reason":3}]})",
       "choices[0].finish_reason"},
      {R"({"model":7,"choices":[{"message":{"content":"a"}}]})", "model"},
      {R"([1,2])", "chat completion"},
      {"<html><body>502 Bad Gateway</body></html>", "malformed JSON"},
      {"", "malformed JSON"},
      {R"({"choices":[{"message":{"content":"a"}}]} trailing)", "malformed JSON"},
      {"{\"choices\":[{\"message\":{\"content\":\"\xff\"}}]}", "invalid UTF-8"},
  };
  for (const Malformed& c : cases) {
    const result<ChatResponse> r = wire::decode_response(c.body);
    ASSERT_FALSE(r) << c.body;
    EXPECT_EQ(r.error().code, errc::bad_response) << c.body;
    EXPECT_NE(r.error().message.find(c.path), std::string::npos)
        << c.body << " -> " << r.error().message;
  }
}

TEST(DecodeResponse, ARefusalIsContentFiltered) {
  const result<ChatResponse> r = wire::decode_response(
      R"({"choices":[{"message":{"content":null,"refusal":"I can't help with that."}}]})");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::content_filtered);
  EXPECT_NE(r.error().message.find("I can't help with that."), std::string::npos);
}

TEST(DecodeResponse, AnErrorObjectInASuccessfulAnswerIsMapped) {
  const result<ChatResponse> r = wire::decode_response(
      R"({"error":{"message":"model overloaded","type":"server_error","code":503}})");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::upstream_unavailable);
  EXPECT_NE(r.error().message.find("model overloaded"), std::string::npos);
}

struct StatusCase {
  int status;
  errc code;
};

TEST(DecodeError, StatusesMapToErrorCodes) {
  const std::vector<StatusCase> cases = {
      {400, errc::invalid_argument},
      {401, errc::unauthorized},
      {403, errc::permission_denied},
      {404, errc::not_found},
      {408, errc::timeout},
      {409, errc::conflict},
      {413, errc::payload_too_large},
      {429, errc::rate_limited},
      {500, errc::upstream_unavailable},
      {502, errc::upstream_unavailable},
      {503, errc::upstream_unavailable},
      {599, errc::upstream_unavailable},
      {418, errc::bad_response},
      {302, errc::bad_response},
  };
  const std::string_view body = R"({"error":{"message":"nope","type":"t","code":"c"}})";
  for (const StatusCase& c : cases) {
    const Error e = wire::decode_error(c.status, body);
    EXPECT_EQ(e.code, c.code) << c.status;
    EXPECT_EQ(e.retryable, is_retryable(c.code)) << c.status;
    EXPECT_NE(e.message.find("nope"), std::string::npos) << c.status;
    EXPECT_NE(e.message.find(std::to_string(c.status)), std::string::npos) << c.status;
    EXPECT_EQ(*e.details.find("http_status")->if_integer(), c.status);
    EXPECT_EQ(*e.details.find("type"), json::Value("t"));
    EXPECT_EQ(*e.details.find("code"), json::Value("c"));
  }
}

TEST(DecodeError, ContextLengthByCode) {
  const Error e =
      wire::decode_error(400, R"({"error":{"message":"too long","type":"invalid_request_error",
               "code":"context_length_exceeded"}})");
  EXPECT_EQ(e.code, errc::context_too_long);
}

TEST(DecodeError, ContextLengthByMessage) {
  // vLLM's top-level error shape, with the numeric code.
  const Error vllm = wire::decode_error(
      400, R"({"object":"error","message":"This model's maximum context length is 4096 tokens. )"
           R"(However, you requested 5000 tokens.","type":"BadRequestError","code":400})");
  EXPECT_EQ(vllm.code, errc::context_too_long);
  EXPECT_EQ(vllm.details.find("code")->as_double(), 400);
  const Error llama = wire::decode_error(
      400, R"({"error":{"code":400,"message":"the request exceeds the available context size",
               "type":"exceed_context_size_error"}})");
  EXPECT_EQ(llama.code, errc::context_too_long);
}

TEST(DecodeError, ContentFilter) {
  EXPECT_EQ(wire::decode_error(400, R"({"error":{"message":"x","code":"content_filter"}})").code,
            errc::content_filtered);
  EXPECT_EQ(
      wire::decode_error(400, R"({"error":{"message":"x","code":"content_policy_violation"}})")
          .code,
      errc::content_filtered);
}

TEST(DecodeError, OllamaStringError) {
  const Error e = wire::decode_error(404, R"({"error":"model \"llama9\" not found"})");
  EXPECT_EQ(e.code, errc::not_found);
  EXPECT_NE(e.message.find(R"(model "llama9" not found)"), std::string::npos);
  EXPECT_TRUE(e.details.find("type")->is_null());
}

TEST(DecodeError, NonJsonBodyIsQuoted) {
  const Error e = wire::decode_error(502, "<html>Bad Gateway</html>");
  EXPECT_EQ(e.code, errc::upstream_unavailable);
  EXPECT_NE(e.message.find("Bad Gateway"), std::string::npos);
}

TEST(DecodeError, LongMessagesAreTruncated) {
  const std::string message(5000, 'x');
  const Error e = wire::decode_error(500, R"({"error":{"message":")" + message + R"("}})");
  EXPECT_EQ(e.message.find(std::string(wire::kMaxQuotedMessage + 1, 'x')), std::string::npos);
  EXPECT_NE(e.message.find(std::string(wire::kMaxQuotedMessage, 'x')), std::string::npos);
  EXPECT_LT(e.message.size(), wire::kMaxQuotedMessage + 100);
}

TEST(DecodeError, TruncationKeepsUtf8Whole) {
  // 299 ASCII bytes then a 2-byte character straddling the limit.
  const std::string message = std::string(wire::kMaxQuotedMessage - 1, 'x') + "é" + "tail";
  const Error e = wire::decode_error(500, R"({"error":{"message":")" + message + R"("}})");
  EXPECT_TRUE(json::parse(json::dump(json::Value(e.message))));
  EXPECT_EQ(e.message.find("é"), std::string::npos);
  EXPECT_EQ(e.message.find("\xC3"), std::string::npos);
}

TEST(DecodeError, EchoedKeysAreRedacted) {
  const Error e = wire::decode_error(
      401, R"({"error":{"message":"Incorrect API key provided: sk-proj-abcdefghijklmnop1234."}})");
  EXPECT_EQ(e.code, errc::unauthorized);
  EXPECT_EQ(e.message.find("abcdefghijklmnop1234"), std::string::npos);
  EXPECT_NE(e.message.find("[REDACTED]"), std::string::npos);
}

TEST(DecodeResponse, UnusualButValidAnswersAreRead) {
  // Choice 0 listed second, integral doubles as counts, members in another order.
  const result<ChatResponse> r = wire::decode_response(
      R"({"usage":{"completion_tokens":2.0,"prompt_tokens":3},"choices":[
          {"index":1,"message":{"content":"second"},"finish_reason":"length"},
          {"finish_reason":"stop","message":{"role":"assistant","content":"first"},"index":0}],
          "model":"m"})");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r.value().content, "first");
  EXPECT_EQ(r.value().finish_reason, "stop");
  EXPECT_EQ(r.value().usage, (Usage{3, 2, 5}));
}

TEST(DecodeResponse, ARepeatedMemberIsRejected) {
  const result<ChatResponse> r =
      wire::decode_response(R"({"choices":[{"message":{"content":"a","content":"b"}}]})");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::bad_response);
  EXPECT_NE(r.error().message.find("choices[0].message.content"), std::string::npos)
      << r.error().message;
}

TEST(DecodeResponse, IgnoredMembersMustStillBeJson) {
  for (std::string_view body : {
           R"({"choices":[{"message":{"content":"a"}}],"logprobs":nul})",
           R"({"choices":[{"message":{"content":"a"}}],"x":[1,]})",
           R"({"choices":[{"message":{"content":"a"},"logprobs":{"a":tru}}]})",
           R"({"choices":[{"message":{"content":"a","tool_calls":[{]}}]})",
           R"({"choices":[{"message":{"content":"a"}}]}})",
       }) {
    const result<ChatResponse> r = wire::decode_response(body);
    ASSERT_FALSE(r) << body;
    EXPECT_EQ(r.error().code, errc::bad_response) << body;
  }
}

// Random damage to valid answers: nothing crashes, and nothing that is not JSON is accepted.
TEST(DecodeResponse, DamagedAnswersAreNeverAcceptedAsJson) {
  constexpr std::string_view kDamage = "{}[]\",:0-e. \x01\xff";
  std::mt19937 random(7);
  for (std::string_view sample : {testing::kOpenAiAnswer, testing::kVllmAnswer,
                                  testing::kOllamaAnswer, testing::kLlamaCppAnswer}) {
    for (int round = 0; round < 3000; ++round) {
      std::string body(sample);
      const int edits = 1 + static_cast<int>(random() % 3);
      for (int e = 0; e < edits; ++e)
        body[random() % body.size()] = kDamage[random() % kDamage.size()];
      const result<ChatResponse> r = wire::decode_response(body);
      if (r) {
        ASSERT_TRUE(json::parse(body)) << body;
      } else {
        ASSERT_NE(r.error().code, errc::internal) << body << " -> " << r.error().message;
      }
    }
  }
}

// `text` as a JSON string body, each character escaped in one of the ways JSON allows, picked
// at random (\u escapes only when `unicode` is set): what every unescaping path must undo.
std::string escape_randomly(std::string_view text, std::mt19937& random,
                            bool allow_unicode = true) {
  static constexpr char kHex[] = "0123456789abcdef";
  const auto unicode = [](unsigned char c) {
    return std::string("\\u00") + kHex[c >> 4] + kHex[c & 15];
  };
  std::string out;
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    const bool coin = !allow_unicode || random() % 2 == 0;
    switch (c) {
      case '"':
        out += coin ? std::string("\\\"") : unicode(c);
        break;
      case '\\':
        out += coin ? std::string("\\\\") : unicode(c);
        break;
      case '/':
        out += coin ? std::string("\\/") : std::string("/");
        break;
      case '\b':
        out += coin ? std::string("\\b") : unicode(c);
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += coin ? std::string("\\t") : unicode(c);
        break;
      default:
        out += c < 0x20 ? unicode(c) : std::string(1, ch);
    }
  }
  return out;
}

// Random text of at least `size` bytes; with `controls`, also a control character that only a
// \u escape can carry.
std::string random_text(std::size_t size, std::mt19937& random, bool controls) {
  static constexpr std::string_view kPieces[] = {
      "\"", "\\", "/", "\n", "\t", "\r", "\b",   "\f",   "a", "Z",    " ",
      "{",  "}",  ":", "é",  "€",  "😀",  "\\\\", "\\\"", "u", "\x7f", "\x01"};
  const std::size_t choices = std::size(kPieces) - (controls ? 0 : 1);
  std::string text;
  while (text.size() < size)
    text += kPieces[random() % choices];
  return text;
}

std::string answer_with_content(std::string_view escaped) {
  return R"({"choices":[{"index":0,"message":{"role":"assistant","content":")" +
         std::string(escaped) + R"("},"finish_reason":"stop"}]})";
}

TEST(DecodeResponse, ContentIsUnescapedExactlyWhateverTheEscapes) {
  std::mt19937 random(11);
  for (int round = 0; round < 4000; ++round) {
    const bool unicode = round % 2 == 0;  // without \u escapes, long content takes the vector path
    const std::string text = random_text(random() % 700, random, unicode);
    const std::string body = answer_with_content(escape_randomly(text, random, unicode));
    const result<ChatResponse> r = wire::decode_response(body);
    ASSERT_TRUE(r) << body << ": " << r.error().message;
    ASSERT_EQ(r.value().content, text) << body;
  }
}

// Runs of backslashes and escaped quotes at every position around the 64-byte steps of the
// vector unescaper.
TEST(DecodeResponse, EscapesAcrossBlockBoundaries) {
  for (std::size_t lead = 0; lead < 200; ++lead) {
    for (std::string_view tail : {"\\", "\\\\", "\"", "\\\"", "\n\"x", "\"\"\""}) {
      const std::string text = std::string(lead, 'x') + std::string(tail) + std::string(70, 'y');
      std::mt19937 random(static_cast<unsigned>(lead));
      const std::string body = answer_with_content(escape_randomly(text, random, lead % 2 == 0));
      const result<ChatResponse> r = wire::decode_response(body);
      ASSERT_TRUE(r) << body;
      ASSERT_EQ(r.value().content, text) << body;
    }
  }
}

TEST(DecodeResponse, InvalidEscapesInLongContentAreRejected) {
  for (std::string_view bad : {"\\q", "\\u12", "\\ud800", "\\x41", "\\\xc3\xa9"}) {
    const std::string body =
        answer_with_content(std::string(100, 'a') + "\\\"" + std::string(bad) + "\\\"");
    const result<ChatResponse> r = wire::decode_response(body);
    ASSERT_FALSE(r) << body;
    EXPECT_EQ(r.error().code, errc::bad_response);
  }
}

}  // namespace
}  // namespace opsgraph::llm
