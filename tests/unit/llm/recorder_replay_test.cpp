// Recorder and Replay through a real cassette file: round trips, keys, redaction, the order of
// repeated recordings, the error for an unrecorded request, and parallel recording.

#include <gtest/gtest.h>

#include <fstream>
#include <opsgraph/core/json.hpp>
#include <opsgraph/core/runtime.hpp>
#include <opsgraph/llm/cassette.hpp>
#include <opsgraph/llm/recorder.hpp>
#include <opsgraph/llm/replay.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "support/temp_dir.hpp"
#include "unit/llm/fake_provider.hpp"

namespace opsgraph::llm {
namespace {

using namespace std::chrono_literals;
using opsgraph::testing::TempDir;
using testing::FakeProvider;

ChatRequest ask(std::string question, std::string model = "gpt-4o") {
  ChatRequest request;
  request.model = std::move(model);
  request.messages = {{Role::system, "You diagnose Windows servers.", std::nullopt},
                      {Role::user, std::move(question), std::nullopt}};
  return request;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  return lines;
}

class RecordReplay : public ::testing::Test {
 protected:
  std::unique_ptr<Recorder> recorder() {
    auto r = Recorder::open(fake_, cassette_);
    EXPECT_TRUE(r) << r.error().message;
    return r ? std::move(r).value() : nullptr;
  }
  std::unique_ptr<Replay> replay() {
    auto r = Replay::open(cassette_, ReplayOptions{Logger::null()});
    EXPECT_TRUE(r) << r.error().message;
    return r ? std::move(r).value() : nullptr;
  }
  result<ChatResponse> call(Provider& provider, ChatRequest request, CallHooks hooks = {}) {
    return runtime_.run(provider.chat(std::move(request), std::move(hooks)));
  }

  Runtime runtime_{Runtime::Options{2, 1}};
  TempDir dir_;
  std::string cassette_ = dir_.file("calls.jsonl");
  FakeProvider fake_;
};

TEST_F(RecordReplay, AnswersAndErrorsRoundTrip) {
  std::vector<result<ChatResponse>> recorded;
  {
    auto rec = recorder();
    ASSERT_NE(rec, nullptr);
    for (const char* q : {"why is APP01 at 100% CPU?", "fail please", "and APP02?"})
      recorded.push_back(call(*rec, ask(q)));
  }
  ASSERT_EQ(lines_of(read_file(cassette_)).size(), 3u);
  auto model = replay();
  ASSERT_NE(model, nullptr);
  EXPECT_EQ(model->size(), 3u);
  const char* questions[] = {"why is APP01 at 100% CPU?", "fail please", "and APP02?"};
  for (int i = 0; i < 3; ++i) {
    const result<ChatResponse> again = call(*model, ask(questions[i]));
    ASSERT_EQ(bool(again), bool(recorded[i])) << i;
    if (again) {
      EXPECT_EQ(again.value(), recorded[i].value());
    } else {
      EXPECT_EQ(again.error(), recorded[i].error());
    }
  }
  EXPECT_EQ(fake_.calls(), 3);  // the replay never reached the provider
}

TEST(CassetteKey, IgnoresWhatNeverReachesTheModel) {
  ChatRequest plain = ask("q");
  ChatRequest decorated = plain;
  decorated.metadata = {{"task_id", "t-9"}};
  decorated.timeout = 5s;
  decorated.stream = true;
  decorated.response_format.schema =
      std::make_shared<const json::Value>(json::Value("unused by a text format"));
  EXPECT_EQ(cassette_key(plain), cassette_key(decorated));
  ChatRequest warmer = plain;
  warmer.temperature = 0.7;
  EXPECT_NE(cassette_key(plain), cassette_key(warmer));
  EXPECT_TRUE(cassette_key(plain).starts_with("sha256:"));
}

TEST(CassetteKey, SchemaMemberOrderDoesNotMatter) {
  ChatRequest a = ask("q");
  a.response_format.type = ResponseFormatType::json_schema;
  a.response_format.schema = std::make_shared<const json::Value>(
      json::parse(R"({"type":"object","properties":{"x":{"type":"string"},"y":{}}})").value());
  ChatRequest b = a;
  b.response_format.schema = std::make_shared<const json::Value>(
      json::parse(R"({"properties":{"y":{},"x":{"type":"string"}},"type":"object"})").value());
  EXPECT_EQ(cassette_key(a), cassette_key(b));
}

TEST(CassetteKey, NormalFormMakesDefaultsExplicit) {
  const json::Value normal = cassette_request(ask("q"));
  EXPECT_TRUE(normal.find("temperature")->is_null());
  EXPECT_TRUE(normal.find("seed")->is_null());
  EXPECT_EQ(*normal.find("stop"), json::Value(json::Array{}));
  EXPECT_EQ(normal.find("metadata"), nullptr);
  EXPECT_EQ(normal.find("stream"), nullptr);
  EXPECT_TRUE(normal.find("messages")->if_array()->at(0).find("tool_call_id")->is_null());
}

TEST_F(RecordReplay, SecretsNeverReachTheFileAndStillReplay) {
  const std::vector<std::string> secrets = {
      "sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv", "sk-0123456789abcdefghijKLMN",
      "eyJhbGciOiJIUzI1NiJ9.payload.sig", "AKIAIOSFODNN7EXAMPLE", "0123456789abcdef0123"};
  ChatRequest request = ask("my key is " + secrets[0] + " and the old one " + secrets[1]);
  request.messages[0].content =
      "Authorization: Bearer " + secrets[2] + "\naws " + secrets[3] + "\napi-key: " + secrets[4];
  {
    auto rec = recorder();
    ASSERT_TRUE(call(*rec, request));  // the fake echoes the secrets back in its answer
  }
  const std::string file = read_file(cassette_);
  for (const std::string& secret : secrets)
    EXPECT_EQ(file.find(secret), std::string::npos) << secret << " is in " << file;
  EXPECT_NE(file.find("Bearer [REDACTED]"), std::string::npos) << file;
  EXPECT_NE(file.find("api-key: [REDACTED]"), std::string::npos) << file;
  const result<ChatResponse> again = call(*replay(), request);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again.value().content.find(secrets[0]), std::string::npos);
}

TEST_F(RecordReplay, RepeatedRequestsAnswerInOrderThenTheLastRepeats) {
  {
    auto rec = recorder();
    for (int i = 0; i < 3; ++i)
      ASSERT_TRUE(call(*rec, ask("same")));
  }
  auto model = replay();
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i)
    ids.push_back(call(*model, ask("same")).value().id);
  EXPECT_EQ(ids, (std::vector<std::string>{"fake-1", "fake-2", "fake-3", "fake-3", "fake-3"}));
}

TEST_F(RecordReplay, AnUnrecordedRequestNamesTheClosestAndWhereItDiffers) {
  {
    auto rec = recorder();
    ASSERT_TRUE(call(*rec, ask("Why is APP01 at 100% CPU since the patch?")));
    ASSERT_TRUE(call(*rec, ask("Draft an email to the team", "gpt-4o-mini")));
  }
  auto model = replay();
  const result<ChatResponse> miss = call(*model, ask("Why is APP02 at 100% CPU since the patch?"));
  ASSERT_FALSE(miss);
  EXPECT_EQ(miss.error().code, errc::not_found);
  const std::string& m = miss.error().message;
  EXPECT_NE(m.find(cassette_), std::string::npos) << m;
  EXPECT_NE(m.find("messages[1].content, byte 11"), std::string::npos) << m;
  EXPECT_NE(m.find("APP01"), std::string::npos) << m;
  EXPECT_NE(m.find("APP02"), std::string::npos) << m;

  const result<ChatResponse> other_model = call(*model, ask("Draft an email to the team", "o1"));
  ASSERT_FALSE(other_model);
  EXPECT_NE(other_model.error().message.find(R"(model: recorded "gpt-4o-mini", asked "o1")"),
            std::string::npos)
      << other_model.error().message;

  ChatRequest longer = ask("Draft an email to the team", "gpt-4o-mini");
  longer.messages.push_back({Role::user, "in French", std::nullopt});
  const result<ChatResponse> extra = call(*model, longer);
  ASSERT_FALSE(extra);
  EXPECT_NE(extra.error().message.find("messages: recorded 2, asked 3"), std::string::npos)
      << extra.error().message;

  ChatRequest warmer = ask("Draft an email to the team", "gpt-4o-mini");
  warmer.temperature = 0.9;
  const result<ChatResponse> parameter = call(*model, warmer);
  ASSERT_FALSE(parameter);
  EXPECT_NE(parameter.error().message.find("temperature: recorded null, asked 0.9"),
            std::string::npos)
      << parameter.error().message;
}

TEST_F(RecordReplay, ParallelCallsEachWriteOneWholeLine) {
  constexpr int kThreads = 6;
  constexpr int kCallsEach = 20;
  {
    auto rec = recorder();
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < kCallsEach; ++i) {
          const std::string q = "thread " + std::to_string(t) + " call " + std::to_string(i);
          EXPECT_TRUE(call(*rec, ask(q + std::string(200, 'x'))));
        }
      });
    }
    for (std::thread& thread : threads)
      thread.join();
  }
  const std::vector<std::string> lines = lines_of(read_file(cassette_));
  ASSERT_EQ(lines.size(), static_cast<std::size_t>(kThreads * kCallsEach));
  for (const std::string& line : lines)
    ASSERT_TRUE(json::parse(line)) << line;
  auto model = replay();
  ASSERT_EQ(model->size(), lines.size());
  const result<ChatResponse> r = call(*model, ask("thread 3 call 7" + std::string(200, 'x')));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r.value().content, "echo: thread 3 call 7" + std::string(200, 'x'));
}

TEST_F(RecordReplay, StreamingRequestsGetTheContentAsOneDeltaAndAttemptsAreReported) {
  {
    auto rec = recorder();
    ASSERT_TRUE(call(*rec, ask("q")));
    ASSERT_FALSE(call(*rec, ask("fail now")));
  }
  auto model = replay();
  ChatRequest streamed = ask("q");
  streamed.stream = true;
  std::vector<std::string> deltas;
  std::vector<int> statuses;
  CallHooks hooks;
  hooks.on_delta = [&deltas](std::string_view d) { deltas.emplace_back(d); };
  hooks.on_attempt = [&statuses](const Attempt& a) { statuses.push_back(a.http_status); };
  ASSERT_TRUE(call(*model, streamed, hooks));
  EXPECT_EQ(deltas, std::vector<std::string>{"echo: q"});
  EXPECT_FALSE(call(*model, ask("fail now"), hooks));
  EXPECT_EQ(statuses, (std::vector<int>{200, 429}));
}

TEST_F(RecordReplay, AThrowingHookDoesNotBreakTheCall) {
  {
    auto rec = recorder();
    ASSERT_TRUE(call(*rec, ask("q")));
  }
  CallHooks hooks;
  hooks.on_attempt = [](const Attempt&) { throw std::runtime_error("observer bug"); };
  const result<ChatResponse> r = call(*replay(), ask("q"), hooks);
  ASSERT_TRUE(r) << r.error().message;
}

TEST(ReplayOpen, MalformedLinesNameFileAndLine) {
  const std::string good = R"({"request":{"model":"m","messages":[]},"response":{"content":"ok"}})";
  struct Case {
    std::string text;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {good + "\n\n{not json}\n", "c.jsonl:3: "},
      {good + "\n" + R"({"request":{"model":"m"}})", "c.jsonl:2: expected exactly one of"},
      {R"({"response":{"content":"ok"}})", "c.jsonl:1: request: expected an object"},
      {R"({"request":{},"response":{"content":7}})", "c.jsonl:1: response: content"},
      {R"({"request":{},"error":{"code":"teapot","message":"x"}})",
       "c.jsonl:1: error.code: unknown code \"teapot\""},
  };
  for (const Case& c : cases) {
    const auto r = Replay::from_text(c.text, "c.jsonl");
    ASSERT_FALSE(r) << c.text;
    EXPECT_EQ(r.error().code, errc::invalid_argument);
    EXPECT_NE(r.error().message.find(c.expected), std::string::npos) << r.error().message;
  }
  EXPECT_TRUE(Replay::from_text(good + "\n\n" + good + "\n", "c.jsonl"));
}

TEST(ReplayOpen, MissingFilesAndFolders) {
  TempDir dir;
  const auto replay = Replay::open(dir.file("absent.jsonl"));
  ASSERT_FALSE(replay);
  EXPECT_EQ(replay.error().code, errc::not_found);
  FakeProvider fake;
  const auto recorder = Recorder::open(fake, dir.file("no/such/folder/calls.jsonl"));
  ASSERT_FALSE(recorder);
  EXPECT_EQ(recorder.error().code, errc::not_found);
  EXPECT_NE(recorder.error().message.find("no/such/folder"), std::string::npos);
}

TEST(ReplayOpen, AnEmptyCassetteSaysSo) {
  Runtime runtime{Runtime::Options{1, 1}};
  auto model = Replay::from_text("", "empty.jsonl").value();
  const result<ChatResponse> r = runtime.run(model->chat(ask("q")));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::not_found);
  EXPECT_NE(r.error().message.find("the cassette is empty"), std::string::npos);
}

}  // namespace
}  // namespace opsgraph::llm
