// Chunked streams fed from another thread through wake(), and pauses.

#include <chrono>
#include <thread>

#include "server_fixture.hpp"

namespace opsgraph::http::testing {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

TEST_F(HttpServerTest, AStreamIsWokenFromAnotherThread) {
  auto client = this->client();
  ASSERT_TRUE(client.send("GET /stream HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
  const auto head = client.read_until("\r\n\r\n");
  EXPECT_TRUE(head.starts_with("HTTP/1.1 200 OK\r\n")) << head;
  EXPECT_NE(head.find("Transfer-Encoding: chunked\r\n"), std::string::npos) << head;
  EXPECT_NE(head.find("Content-Type: text/event-stream\r\n"), std::string::npos) << head;
  EXPECT_NE(head.find("Cache-Control: no-cache\r\n"), std::string::npos) << head;
  ASSERT_TRUE(probe_->wait_started("/stream"));

  // The handler pauses for 5 s between events; wake() cuts that short.
  for (const std::string event : {"one", "two", "three"}) {
    const auto begin = Clock::now();
    std::thread feeder([&] { probe_->push_event(event); });
    const auto chunk = client.read_until("data: " + event + "\n\n");
    feeder.join();
    EXPECT_NE(chunk.find("data: " + event + "\n\n"), std::string::npos) << chunk;
    EXPECT_LT(Clock::now() - begin, milliseconds(2000));
  }
  probe_->push_event("end");
  EXPECT_EQ(client.read_until("0\r\n\r\n"), "\r\n0\r\n\r\n");  // the chunk's end, the last
  EXPECT_EQ(client.get("/hello").status, 200u) << "the connection stays usable after a stream";
}

TEST_F(HttpServerTest, AWakeBeforeThePauseIsNotLost) {
  probe_->push_event("early");
  auto client = this->client();
  ASSERT_TRUE(client.send("GET /stream HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
  const auto begin = Clock::now();
  const auto text = client.read_until("data: early\n\n");
  EXPECT_FALSE(text.empty());
  EXPECT_LT(Clock::now() - begin, milliseconds(2000));
  probe_->push_event("end");
  EXPECT_FALSE(client.read_until("0\r\n\r\n").empty());
}

TEST_F(HttpServerTest, PauseReturnsFalseWhenTheServerStops) {
  auto client = this->client();
  ASSERT_TRUE(client.send("GET /wait HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
  ASSERT_TRUE(probe_->wait_started("/wait"));
  const auto begin = Clock::now();
  server_->stop(std::chrono::seconds(5));
  EXPECT_LT(Clock::now() - begin, milliseconds(1000));
  EXPECT_EQ(probe_->wait_pause_result(milliseconds(1000)), std::optional<bool>(false));
  EXPECT_TRUE(client.wait_closed(milliseconds(2000)));
}

TEST_F(HttpServerTest, AStreamEndsWhenTheServerStops) {
  auto client = this->client();
  ASSERT_TRUE(client.send("GET /stream HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
  ASSERT_TRUE(probe_->wait_started("/stream"));
  const auto begin = Clock::now();
  server_->stop(std::chrono::seconds(5));
  EXPECT_LT(Clock::now() - begin, milliseconds(1000));
  // The handler's pause returns false: it ends the stream (its head was sent before the stop,
  // without Connection: close), and then the connection closes.
  EXPECT_FALSE(client.read_until("0\r\n\r\n").empty());
  EXPECT_TRUE(client.wait_closed(milliseconds(2000)));
}

}  // namespace
}  // namespace opsgraph::http::testing
