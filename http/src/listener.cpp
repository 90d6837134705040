#include "listener.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace opsgraph::http::detail {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

result<tcp::acceptor> listen_on(const Executor& executor, const ServerOptions& options) {
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(options.host, ec);
  if (ec)
    return fail(errc::invalid_argument, "'" + options.host + "' is not an IP address");
  const tcp::endpoint endpoint(address, options.port);
  tcp::acceptor acceptor(asio::make_strand(executor));
  acceptor.open(endpoint.protocol(), ec);
  if (!ec)
    acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec)
    acceptor.bind(endpoint, ec);
  if (!ec)
    acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    return fail(errc::upstream_unavailable, "cannot listen on " + options.host + ":" +
                                                std::to_string(options.port) + ": " + ec.message());
  return acceptor;
}

Task<void> accept_connections(std::shared_ptr<ServerState> state) {
  constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
  // After a failed accept (EMFILE, say), wait before retrying instead of spinning.
  constexpr auto kAcceptBackoff = std::chrono::milliseconds(20);
  asio::steady_timer backoff(state->acceptor.get_executor());
  while (state->acceptor.is_open()) {
    auto strand = asio::make_strand(state->io);
    auto [ec, socket] = co_await state->acceptor.async_accept(strand, kNoThrow);
    if (ec == asio::error::operation_aborted || !state->acceptor.is_open())
      break;
    if (ec) {
      backoff.expires_after(kAcceptBackoff);
      co_await backoff.async_wait(kNoThrow);
      continue;
    }
    socket.set_option(tcp::no_delay(true), ec);
    serve_connection(state, std::move(socket));
  }
  state->accepting = false;
}

}  // namespace opsgraph::http::detail
