// Requests and answers: keep-alive, routing, queries and headers, handlers that do not answer or
// throw, start errors.

#include <opsgraph/core/json_value.hpp>

#include "server_fixture.hpp"

namespace opsgraph::http::testing {
namespace {

TEST_F(HttpServerTest, KeepsTheConnectionAliveAcrossRequests) {
  auto client = this->client();
  for (int i = 0; i < 5; ++i) {
    const auto reply = client.get("/hello");
    ASSERT_FALSE(reply.error) << reply.error.message();
    EXPECT_EQ(reply.status, 200u);
    EXPECT_EQ(reply.body, "hello");
    EXPECT_EQ(reply.header("content-type"), "text/plain");
    EXPECT_EQ(reply.header("content-length"), "5");
    EXPECT_EQ(reply.header("server"), "opsgraph");
    EXPECT_TRUE(reply.header("date").ends_with(" GMT")) << reply.header("date");
    EXPECT_EQ(reply.header("connection"), "");
  }
  EXPECT_EQ(server_->open_connections(), 1u);
  const auto echoed = client.post("/echo", "a body");
  EXPECT_EQ(echoed.body, "POST a body");
  EXPECT_EQ(client.post("/echo", std::string(100000, 'z')).body.size(), 100005u);
}

TEST_F(HttpServerTest, RoutesByPath) {
  auto client = this->client();
  EXPECT_EQ(client.get("/hello?x=1").body, "hello");
  const auto missing = client.get("/nowhere");
  EXPECT_EQ(missing.status, 404u);
  EXPECT_EQ(missing.body, "no route");
  EXPECT_EQ(client.get("/hello").status, 200u);
}

TEST_F(HttpServerTest, ParsesTheQuery) {
  auto client = this->client();
  EXPECT_EQ(client.get("/query?status=failed&name=a%20b+c&flag&&empty=").body,
            "status=failed;name=a b c;flag=;empty=;");
  EXPECT_EQ(client.get("/query").body, "");
  EXPECT_EQ(client.get("/query?bad=%zz").status, 400u);
}

TEST_F(HttpServerTest, HeadersCompareCaseInsensitively) {
  auto client = this->client();
  EXPECT_EQ(client.request("GET", "/header", "", {{"X-TEST", "value 1"}}).body, "value 1");
  EXPECT_EQ(client.get("/header").body, "<none>");
}

TEST_F(HttpServerTest, ConnectionCloseIsHonoured) {
  auto client = this->client();
  const auto reply = client.request("GET", "/hello", "", {{"Connection", "close"}});
  EXPECT_EQ(reply.status, 200u);
  EXPECT_EQ(reply.header("connection"), "close");
  EXPECT_TRUE(client.wait_closed(std::chrono::seconds(2)));
}

TEST_F(HttpServerTest, Http10GetsKeepAliveOnlyWhenAsked) {
  auto client = this->client();
  const auto kept = client.raw("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
  EXPECT_EQ(kept.status, 200u);
  EXPECT_EQ(kept.header("connection"), "keep-alive");
  const auto closed = client.raw("GET /hello HTTP/1.0\r\n\r\n");
  EXPECT_EQ(closed.status, 200u);
  EXPECT_EQ(closed.header("connection"), "close");
  EXPECT_TRUE(client.wait_closed(std::chrono::seconds(2)));
}

TEST_F(HttpServerTest, HeadAnswersCarryNoBody) {
  auto client = this->client();
  ASSERT_TRUE(client.send("HEAD /hello HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
  const auto head = client.read_until("\r\n\r\n");
  EXPECT_TRUE(head.starts_with("HTTP/1.1 200 OK\r\n")) << head;
  EXPECT_NE(head.find("Content-Length: 5\r\n"), std::string::npos) << head;
  // A body after the head would be read as the start of this reply.
  EXPECT_EQ(client.get("/hello").body, "hello");
}

TEST_F(HttpServerTest, AHandlerThatDoesNotAnswerGets500) {
  auto client = this->client();
  expect_problem(client.get("/silent"), 500);
  EXPECT_EQ(client.get("/hello").status, 200u) << "the connection stays usable";
}

TEST_F(HttpServerTest, AHandlerThatThrowsGets500) {
  auto client = this->client();
  expect_problem(client.get("/throw"), 500);
  EXPECT_EQ(client.get("/hello").status, 200u) << "the connection stays usable";
}

TEST_F(HttpServerTest, AnswersExpect100ContinueBeforeTheBody) {
  auto client = this->client();
  const auto interim = client.raw_until(
      "POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n",
      "\r\n\r\n");
  EXPECT_EQ(interim, "HTTP/1.1 100 Continue\r\n\r\n");
  EXPECT_EQ(client.raw("body").body, "POST body");
}

TEST_F(HttpServerTest, PipelinedRequestsAreAnsweredInOrder) {
  auto client = this->client();
  ASSERT_TRUE(
      client.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\nPOST /echo HTTP/1.1\r\nHost: x\r\n"
                  "Content-Length: 3\r\n\r\nabc"));
  EXPECT_EQ(client.read_reply().body, "hello");
  EXPECT_EQ(client.read_reply().body, "POST abc");
}

TEST(HttpServerStart, RefusesBadOptions) {
  Runtime runtime(Runtime::Options{.io_threads = 1, .blocking_threads = 1});
  const Handler handler = [](Exchange& exchange) { return exchange.drain_until_closed(); };
  ServerOptions bad_host;
  bad_host.host = "not-an-address";
  auto started = Server::start(bad_host, runtime.executor(), handler);
  ASSERT_FALSE(started);
  EXPECT_EQ(started.error().code, errc::invalid_argument);

  ServerOptions zero_limit;
  zero_limit.max_body_bytes = 0;
  started = Server::start(zero_limit, runtime.executor(), handler);
  ASSERT_FALSE(started);
  EXPECT_EQ(started.error().code, errc::invalid_argument);

  started = Server::start(ServerOptions{}, runtime.executor(), Handler{});
  ASSERT_FALSE(started);
  EXPECT_EQ(started.error().code, errc::invalid_argument);
}

TEST(HttpServerStart, ATakenPortIsUpstreamUnavailable) {
  Runtime runtime(Runtime::Options{.io_threads = 1, .blocking_threads = 1});
  const Handler handler = [](Exchange& exchange) { return exchange.drain_until_closed(); };
  auto first = Server::start(ServerOptions{}, runtime.executor(), handler);
  ASSERT_TRUE(first) << first.error().message;
  ServerOptions same;
  same.port = first.value()->port();
  auto second = Server::start(same, runtime.executor(), handler);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, errc::upstream_unavailable);
  EXPECT_NE(second.error().message.find(std::to_string(same.port)), std::string::npos);
}

}  // namespace
}  // namespace opsgraph::http::testing
