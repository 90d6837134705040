// Latency never holds a thread: 1,000 concurrent requests that each wait 200 ms finish in about
// 0.2 s on the server's two io threads. Also: a server running on a caller's executor.

#include <sys/resource.h>

#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <opsgraph/core/runtime.hpp>

#include "server_fixture.hpp"
#include "support/open_files.hpp"

namespace opsgraph::mock::testing {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

constexpr int kConcurrentRequests = 1000;

Task<void> one_request(tcp::endpoint server, std::string request, std::atomic<int>* answered) {
  constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
  auto executor = co_await asio::this_coro::executor;
  tcp::socket socket(executor);
  auto [connect_error] = co_await socket.async_connect(server, kNoThrow);
  if (connect_error)
    co_return;
  auto buffer = asio::buffer(request);
  auto [write_error, written] = co_await asio::async_write(socket, buffer, kNoThrow);
  if (write_error)
    co_return;
  boost::beast::flat_buffer received;
  http::response<http::string_body> response;
  auto [read_error, read] = co_await http::async_read(socket, received, response, kNoThrow);
  if (!read_error && response.result_int() == 200)
    ++*answered;
}

std::string chat_request(std::string_view fault) {
  const auto body = chat_body("m", "load");
  return "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
         "application/json\r\nx-mock-fault: " +
         std::string(fault) + "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" +
         body;
}

TEST_F(MockServerTest, ThousandConcurrentDelayedRequestsOverlap) {
  opsgraph::testing::raise_open_file_limit(4 * kConcurrentRequests + 256);
  const tcp::endpoint endpoint(asio::ip::make_address_v4("127.0.0.1"), server_->port());
  const auto request = chat_request("latency_ms=200");
  std::atomic<int> answered{0};
  asio::io_context clients;
  for (int i = 0; i < kConcurrentRequests; ++i)
    spawn(clients.get_executor(), one_request(endpoint, request, &answered));

  const auto begin = std::chrono::steady_clock::now();
  clients.run_for(std::chrono::seconds(30));
  const auto elapsed = std::chrono::steady_clock::now() - begin;

  EXPECT_EQ(answered.load(), kConcurrentRequests);
  EXPECT_GE(elapsed, std::chrono::milliseconds(200));
  // Serial waits would take 200 s; a few seconds allows for sanitizers and a busy machine.
  EXPECT_LT(elapsed, std::chrono::seconds(5))
      << std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count() << " ms";
  EXPECT_EQ(server_->stats().faults_injected.at("latency"),
            static_cast<std::uint64_t>(kConcurrentRequests));
}

TEST(MockServerOnCallersExecutor, ServesAndStops) {
  Runtime runtime(Runtime::Options{.io_threads = 2, .blocking_threads = 1});
  auto started = MockLlmServer::start(ServerOptions{}, runtime.executor());
  ASSERT_TRUE(started) << started.error().message;
  auto& server = *started.value();
  HttpClient client(server.port());
  EXPECT_EQ(client.post("/v1/chat/completions", chat_body("m", "x")).status, 200u);
  server.stop();
  EXPECT_EQ(server.stats().open_connections, 0u);
  HttpClient refused(server.port());
  EXPECT_TRUE(refused.connect_error());
}

}  // namespace
}  // namespace opsgraph::mock::testing
