// The limits: body and header sizes, malformed requests, read and idle timeouts, connections.

#include <chrono>

#include "server_fixture.hpp"

namespace opsgraph::http::testing {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

TEST_F(HttpServerTest, ABodyOverTheLimitIs413AndCloses) {
  ServerOptions options;
  options.max_body_bytes = 1024;
  start(options);
  auto client = this->client();
  EXPECT_EQ(client.post("/echo", std::string(1024, 'x')).status, 200u);
  const auto reply = client.post("/echo", std::string(4096, 'x'));
  expect_problem(reply, 413);
  EXPECT_EQ(reply.header("connection"), "close");
  EXPECT_TRUE(client.wait_closed(milliseconds(2000)));
}

TEST_F(HttpServerTest, HeadersOverTheLimitAre431) {
  ServerOptions options;
  options.max_header_bytes = 1024;
  start(options);
  auto client = this->client();
  const auto reply = client.request("GET", "/hello", "", {{"X-Big", std::string(4096, 'h')}});
  expect_problem(reply, 431);
  EXPECT_EQ(reply.header("connection"), "close");
}

TEST_F(HttpServerTest, MalformedRequestsAre400) {
  auto client = this->client();
  const auto reply = client.raw("NOT HTTP AT ALL\r\n\r\n");
  expect_problem(reply, 400);
  EXPECT_EQ(reply.header("connection"), "close");
  EXPECT_EQ(this->client().get("/hello").status, 200u);
}

TEST_F(HttpServerTest, ARequestSlowerThanTheReadTimeoutIs408) {
  ServerOptions options;
  options.read_timeout = milliseconds(200);
  start(options);
  auto client = this->client();
  const auto begin = Clock::now();
  ASSERT_TRUE(client.send("GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\n"));  // no blank line
  const auto reply = client.read_reply();
  const auto elapsed = Clock::now() - begin;
  expect_problem(reply, 408);
  EXPECT_EQ(reply.header("connection"), "close");
  EXPECT_GE(elapsed, milliseconds(150));
  EXPECT_LT(elapsed, milliseconds(3000));
}

// A client that asks for a large answer and never reads it: once the socket buffers are full the
// server's write stalls, and after write_timeout the connection closes and the handler's write
// fails, instead of both waiting forever.
TEST_F(HttpServerTest, AWriteToAPeerThatStopsReadingEndsAfterTheWriteTimeout) {
  ServerOptions options;
  options.write_timeout = milliseconds(300);
  start(options);
  auto client = this->client();
  ASSERT_TRUE(client.send("GET /flood HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
  const auto flood = probe_->wait_flood(std::chrono::seconds(30));
  ASSERT_TRUE(flood.has_value()) << "the handler is still writing";
  EXPECT_TRUE(flood->write_failed) << flood->bytes << " bytes written";
  EXPECT_LT(flood->bytes, std::size_t{1} << 30);
  EXPECT_TRUE(eventually([&] { return server_->open_connections() == 0; }));
  EXPECT_EQ(this->client().get("/hello").status, 200u) << "the server serves others";
}

TEST_F(HttpServerTest, AnIdleConnectionClosesSilentlyAfterTheIdleTimeout) {
  ServerOptions options;
  options.idle_timeout = milliseconds(200);
  start(options);
  auto client = this->client();
  EXPECT_EQ(client.get("/hello").status, 200u);
  const auto begin = Clock::now();
  EXPECT_TRUE(client.wait_closed(milliseconds(3000)));
  EXPECT_GE(Clock::now() - begin, milliseconds(150));
  EXPECT_TRUE(eventually([&] { return server_->open_connections() == 0; }));
}

TEST_F(HttpServerTest, ConnectionsOverTheLimitGet503) {
  ServerOptions options;
  options.max_connections = 2;
  start(options);
  auto first = client();
  auto second = client();
  EXPECT_EQ(first.get("/hello").status, 200u);
  EXPECT_EQ(second.get("/hello").status, 200u);
  EXPECT_EQ(server_->open_connections(), 2u);

  auto third = client();
  const auto refused = third.read_reply();  // answered without asking
  expect_problem(refused, 503);
  EXPECT_EQ(refused.header("connection"), "close");
  EXPECT_TRUE(third.wait_closed(milliseconds(2000)));
  EXPECT_EQ(server_->open_connections(), 2u);

  first.close();
  ASSERT_TRUE(eventually([&] { return server_->open_connections() == 1; }));
  EXPECT_EQ(client().get("/hello").status, 200u);
}

}  // namespace
}  // namespace opsgraph::http::testing
