#pragma once
// ServerState — what a running server shares with its accept loop and its connections: the
// options, the handler, the listening socket, the TLS context and the registry of connections.
// Held by shared_ptr, so a connection that outlives Server::stop() by a few instructions still
// finds everything alive. Thread-safe as its members are. Internal.

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <opsgraph/http/server.hpp>
#include <optional>

#include "connection_registry.hpp"

namespace opsgraph::http::detail {

struct ServerState {
  ServerState(ServerOptions server_options, Executor executor, Handler request_handler,
              boost::asio::ip::tcp::acceptor listener)
      : options(std::move(server_options)),
        io(std::move(executor)),
        handler(std::move(request_handler)),
        acceptor(std::move(listener)) {}

  const ServerOptions options;
  /// Where connections run, each on a strand of its own.
  const Executor io;
  const Handler handler;
  /// Set when the options ask for HTTPS.
  std::optional<boost::asio::ssl::context> tls;
  /// Used only on its own strand (the accept loop, and stop() through a post).
  boost::asio::ip::tcp::acceptor acceptor;
  ConnectionRegistry connections;
  /// Set once stop() begins; never cleared.
  std::atomic<bool> stopping{false};
  /// Cleared when the accept loop has ended.
  std::atomic<bool> accepting{true};
};

}  // namespace opsgraph::http::detail
