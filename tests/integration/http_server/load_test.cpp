// Many concurrent kept-alive connections, each with a run of requests, on the fixture's two io
// threads.

#include <sys/resource.h>

#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include "server_fixture.hpp"
#include "support/open_files.hpp"

namespace opsgraph::http::testing {
namespace {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

constexpr int kConnections = 300;
constexpr int kRequestsEach = 20;

Task<void> run_client(tcp::endpoint server, std::atomic<int>* answered) {
  constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
  tcp::socket socket(co_await asio::this_coro::executor);
  auto [connect_error] = co_await socket.async_connect(server, kNoThrow);
  if (connect_error)
    co_return;
  static constexpr std::string_view kRequest = "GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  boost::beast::flat_buffer buffer;
  for (int i = 0; i < kRequestsEach; ++i) {
    auto request = asio::buffer(kRequest);
    auto [write_error, written] = co_await asio::async_write(socket, request, kNoThrow);
    if (write_error)
      co_return;
    bhttp::response<bhttp::string_body> response;
    auto [read_error, read] = co_await bhttp::async_read(socket, buffer, response, kNoThrow);
    if (read_error || response.body() != "hello")
      co_return;
    ++*answered;
  }
}

TEST_F(HttpServerTest, ManyConcurrentKeptAliveConnections) {
  opsgraph::testing::raise_open_file_limit(2 * kConnections + 256);
  const tcp::endpoint endpoint(asio::ip::make_address_v4("127.0.0.1"), server_->port());
  std::atomic<int> answered{0};
  asio::io_context clients;
  for (int i = 0; i < kConnections; ++i)
    spawn(clients.get_executor(), run_client(endpoint, &answered));
  clients.run_for(std::chrono::seconds(60));
  EXPECT_EQ(answered.load(), kConnections * kRequestsEach);
  EXPECT_TRUE(eventually([&] { return server_->open_connections() == 0; }));
}

}  // namespace
}  // namespace opsgraph::http::testing
