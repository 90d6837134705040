// Faults selected per request with x-mock-fault (and x-mock-fault-count), as a client sees them.

#include <boost/asio/error.hpp>
#include <boost/beast/http/error.hpp>
#include <chrono>
#include <future>
#include <opsgraph/core/json.hpp>
#include <thread>

#include "server_fixture.hpp"

namespace opsgraph::mock::testing {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

Reply ask_with_fault(HttpClient& client, std::string fault, const json::Object& extra = {}) {
  return client.post("/v1/chat/completions", chat_body("m", "hello", extra),
                     {{"x-mock-fault", std::move(fault)}});
}

std::string error_code_of(const Reply& reply) {
  const auto body = reply.json();
  const auto* error = body.find("error");
  const auto* code = error ? error->find("code") : nullptr;
  return code && code->is_string() ? *code->if_string() : "<none>";
}

// Waits until `done` holds, for at most `limit`; whether it did.
template <class Predicate>
bool eventually(Predicate done, milliseconds limit = milliseconds(3000)) {
  const auto deadline = Clock::now() + limit;
  while (!done()) {
    if (Clock::now() > deadline)
      return false;
    std::this_thread::sleep_for(milliseconds(5));
  }
  return true;
}

TEST_F(MockServerTest, RateLimitCarriesRetryAfter) {
  auto client = this->client();
  auto reply = ask_with_fault(client, "429;retry_after=7");
  EXPECT_EQ(reply.status, 429u);
  EXPECT_EQ(reply.header("retry-after"), "7");
  EXPECT_EQ(reply.header("x-ratelimit-reset-requests"), "7s");
  EXPECT_EQ(error_code_of(reply), "rate_limit_exceeded");

  ServerOptions options;
  options.retry_after_seconds = 2;
  start(options);
  auto second = this->client();
  EXPECT_EQ(ask_with_fault(second, "rate_limited").header("retry-after"), "2");
}

TEST_F(MockServerTest, HttpErrorFaultsHaveOpenAiBodies) {
  struct Case {
    const char* fault;
    unsigned status;
    const char* type;
    const char* code;
  };
  for (const auto& c :
       {Case{"500", 500, "server_error", "<none>"},
        Case{"server_error", 500, "server_error", "<none>"},
        Case{"503", 503, "server_error", "service_unavailable"},
        Case{"401", 401, "invalid_request_error", "invalid_api_key"},
        Case{"400", 400, "invalid_request_error", "<none>"},
        Case{"context_length_exceeded", 400, "invalid_request_error", "context_length_exceeded"}}) {
    SCOPED_TRACE(c.fault);
    auto client = this->client();
    auto reply = ask_with_fault(client, c.fault);
    EXPECT_EQ(reply.status, c.status);
    EXPECT_EQ(error_code_of(reply), c.code);
    const auto body = reply.json();
    ASSERT_NE(body.find("error"), nullptr) << reply.body;
    EXPECT_EQ(*body.find("error")->find("type"), json::Value(c.type));
    EXPECT_TRUE(body.find("error")->find("message")->is_string());
  }
}

TEST_F(MockServerTest, FaultCountFailsTheFirstNThenSucceeds) {
  auto client = this->client();
  const Headers headers{{"x-mock-fault", "503"}, {"x-mock-fault-count", "2"}};
  std::vector<unsigned> statuses;
  for (int i = 0; i < 4; ++i)
    statuses.push_back(client.post("/v1/chat/completions", chat_body("m", "x"), headers).status);
  EXPECT_EQ(statuses, (std::vector<unsigned>{503, 503, 200, 200}));
  EXPECT_EQ(server_->stats().faults_injected.at("unavailable"), 2u);

  // reset_stats() starts the tallies again.
  server_->reset_stats();
  EXPECT_EQ(client.post("/v1/chat/completions", chat_body("m", "x"), headers).status, 503u);
}

TEST_F(MockServerTest, HeaderFaultOverridesRules) {
  add_rule(text_rule("", "ruled"));
  auto client = this->client();
  EXPECT_EQ(ask_with_fault(client, "500").status, 500u);
  EXPECT_EQ(client.post("/v1/chat/completions", chat_body("m", "x"))
                .json()
                .find("choices")
                ->if_array()
                ->size(),
            1u);
}

TEST_F(MockServerTest, UnknownFaultHeaderIsABadRequest) {
  auto client = this->client();
  for (const char* fault : {"explode", "latency", "429;retry_after=soon", "500;503"}) {
    SCOPED_TRACE(fault);
    auto reply = ask_with_fault(client, fault);
    EXPECT_EQ(reply.status, 400u);
    EXPECT_EQ(error_code_of(reply), "invalid_mock_fault");
  }
  auto reply = client.post("/v1/chat/completions", chat_body("m", "x"),
                           {{"x-mock-fault", "500"}, {"x-mock-fault-count", "-1"}});
  EXPECT_EQ(reply.status, 400u);
}

TEST_F(MockServerTest, MalformedJsonIsA200ThatDoesNotParse) {
  auto client = this->client();
  auto whole = ask_with_fault(client, "malformed_json");
  EXPECT_EQ(whole.status, 200u);
  EXPECT_EQ(whole.header("content-type"), "application/json");
  EXPECT_FALSE(json::parse(whole.body));

  auto streamed = ask_with_fault(client, "malformed_json", json::Object{{"stream", true}});
  EXPECT_EQ(streamed.status, 200u);
  const auto payloads = sse_data(streamed.body);
  ASSERT_GE(payloads.size(), 2u);
  EXPECT_FALSE(json::parse(payloads[1])) << payloads[1];
}

TEST_F(MockServerTest, WrongContentTypeIsHtml) {
  auto client = this->client();
  auto reply = ask_with_fault(client, "wrong_content_type");
  EXPECT_EQ(reply.status, 200u);
  EXPECT_TRUE(reply.header("content-type").starts_with("text/html"));
  EXPECT_TRUE(reply.body.starts_with("<html>"));
}

TEST_F(MockServerTest, TruncatedBodyEndsBeforeItsContentLength) {
  auto client = this->client();
  auto reply = ask_with_fault(client, "truncated");
  EXPECT_EQ(reply.error, boost::beast::http::error::partial_message) << reply.error.message();
  EXPECT_EQ(reply.status, 200u);
  EXPECT_LT(reply.body.size(), std::stoul(reply.header("content-length")));
  EXPECT_FALSE(reply.body.empty());
}

TEST_F(MockServerTest, ResetMidStreamSendsSomeEventsThenResets) {
  auto client = this->client();
  auto reply = ask_with_fault(client, "reset_mid_stream", json::Object{{"stream", true}});
  EXPECT_EQ(reply.error, boost::asio::error::connection_reset) << reply.error.message();
  EXPECT_EQ(reply.status, 200u);
  const auto payloads = sse_data(reply.body);
  EXPECT_GE(payloads.size(), 2u) << reply.body;
  EXPECT_TRUE(std::ranges::find(payloads, "[DONE]") == payloads.end());

  auto again = this->client();
  auto whole = ask_with_fault(again, "reset_mid_stream");
  EXPECT_EQ(whole.error, boost::asio::error::connection_reset) << whole.error.message();
}

TEST_F(MockServerTest, LatencyDelaysTheAnswer) {
  auto client = this->client();
  auto begin = Clock::now();
  EXPECT_EQ(ask_with_fault(client, "latency_ms=200").status, 200u);
  EXPECT_GE(Clock::now() - begin, milliseconds(200));

  begin = Clock::now();
  EXPECT_EQ(ask_with_fault(client, "500;latency_ms=100-150").status, 500u);
  const auto elapsed = Clock::now() - begin;
  EXPECT_GE(elapsed, milliseconds(100));
  EXPECT_LT(elapsed, milliseconds(2000));
  EXPECT_EQ(server_->stats().faults_injected.at("latency"), 1u);
}

TEST_F(MockServerTest, HangReleasesWhenTheClientCloses) {
  ClientOptions impatient;
  impatient.receive_timeout = milliseconds(300);
  HttpClient client(server_->port(), impatient);
  auto reply = ask_with_fault(client, "hang");
  EXPECT_EQ(reply.error, boost::asio::error::timed_out);
  EXPECT_EQ(reply.status, 0u);
  EXPECT_TRUE(eventually([&] { return server_->stats().open_connections == 0; }))
      << "the hung connection is still open";
}

TEST_F(MockServerTest, StopReturnsPromptlyWithAHungRequestOpen) {
  auto hung = std::async(std::launch::async, [port = server_->port()] {
    HttpClient client(port);
    return ask_with_fault(client, "hang");
  });
  ASSERT_TRUE(eventually([&] {
    return server_->stats().open_connections == 1 && server_->stats().total_requests == 1;
  }));
  const auto begin = Clock::now();
  server_->stop();
  EXPECT_LT(Clock::now() - begin, milliseconds(1000));
  ASSERT_EQ(hung.wait_for(std::chrono::seconds(5)), std::future_status::ready);
  const auto reply = hung.get();
  EXPECT_TRUE(reply.error) << "the hung request should end with a closed connection";
  EXPECT_NE(reply.error, boost::asio::error::timed_out);
}

TEST_F(MockServerTest, ClientLeavingAStreamIsCounted) {
  ServerOptions options;
  options.stream_event_interval = milliseconds(40);
  start(options);
  {
    ClientOptions impatient;
    impatient.receive_timeout = milliseconds(100);
    HttpClient client(server_->port(), impatient);
    auto reply = client.post(
        "/v1/chat/completions",
        chat_body("m", "a long question to answer slowly", json::Object{{"stream", true}}));
    EXPECT_EQ(reply.error, boost::asio::error::timed_out);
  }
  EXPECT_TRUE(eventually([&] { return server_->stats().streams_aborted == 1; }));
}

}  // namespace
}  // namespace opsgraph::mock::testing
