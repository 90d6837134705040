// The graceful stop: answers in progress finish with Connection: close, idle connections close at
// once, new connections are refused, and the grace bounds it all.

#include <chrono>
#include <future>

#include "server_fixture.hpp"

namespace opsgraph::http::testing {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

TEST_F(HttpServerTest, StopFinishesAnswersInProgressAndClosesIdleConnections) {
  auto idle = client();
  ASSERT_EQ(idle.get("/hello").status, 200u);
  const auto port = server_->port();
  auto slow = std::async(std::launch::async, [port] {
    HttpClient client(port);
    return client.get("/slow");
  });
  ASSERT_TRUE(probe_->wait_started("/slow"));

  const auto begin = Clock::now();
  auto stopped = std::async(std::launch::async, [this] { server_->stop(std::chrono::seconds(5)); });
  EXPECT_TRUE(idle.wait_closed(milliseconds(250))) << "the idle connection closes at once";
  ASSERT_TRUE(eventually([&] { return HttpClient(port).connect_error().failed(); }))
      << "new connections are refused";

  const auto reply = slow.get();
  EXPECT_FALSE(reply.error) << reply.error.message();
  EXPECT_EQ(reply.status, 200u);
  EXPECT_EQ(reply.body, "slow done");
  EXPECT_EQ(reply.header("connection"), "close");
  ASSERT_EQ(stopped.wait_for(std::chrono::seconds(5)), std::future_status::ready);
  EXPECT_LT(Clock::now() - begin, milliseconds(3000));
  EXPECT_EQ(server_->open_connections(), 0u);
}

TEST_F(HttpServerTest, StopClosesWhatOutlivesTheGrace) {
  auto client = this->client();
  ASSERT_TRUE(client.send("GET /slow HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
  ASSERT_TRUE(probe_->wait_started("/slow"));
  const auto begin = Clock::now();
  auto stopped = std::async(std::launch::async, [this] { server_->stop(milliseconds(50)); });
  EXPECT_TRUE(client.wait_closed(milliseconds(2000)));
  EXPECT_LT(Clock::now() - begin, milliseconds(250)) << "closed when the grace ran out";
  // stop() still waits (a bounded time) for the handler, which cannot be interrupted, to return.
  ASSERT_EQ(stopped.wait_for(std::chrono::seconds(5)), std::future_status::ready);
  EXPECT_EQ(server_->open_connections(), 0u);
}

TEST_F(HttpServerTest, StopIsIdempotentAndTheDestructorStops) {
  auto client = this->client();
  ASSERT_EQ(client.get("/hello").status, 200u);
  server_->stop();
  server_->stop();
  EXPECT_TRUE(client.wait_closed(milliseconds(1000)));
  server_.reset();
}

TEST_F(HttpServerTest, StoppingIsVisibleToHandlers) {
  auto client = this->client();
  ASSERT_TRUE(client.send("GET /stream HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
  ASSERT_TRUE(probe_->wait_started("/stream"));
  server_->stop(std::chrono::seconds(5));
  EXPECT_EQ(server_->open_connections(), 0u);
}

}  // namespace
}  // namespace opsgraph::http::testing
