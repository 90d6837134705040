#pragma once
// The listening socket and the accept loop that hands each connection to serve_connection().
// Internal.

#include <boost/asio/ip/tcp.hpp>
#include <memory>

#include "server_state.hpp"

namespace opsgraph::http::detail {

/// An acceptor on a strand of `executor`, bound to options.host:options.port and listening.
/// invalid_argument for a host that is no IP literal, upstream_unavailable when binding fails.
result<boost::asio::ip::tcp::acceptor> listen_on(const Executor& executor,
                                                 const ServerOptions& options);

/// Accepts connections until the acceptor closes, each served on a strand of its own.
Task<void> accept_connections(std::shared_ptr<ServerState> state);

/// Serves `socket` (already on its own strand) as plain HTTP, or HTTPS when state->tls is set.
/// Returns at once; the connection registers itself in state->connections.
void serve_connection(std::shared_ptr<ServerState> state, boost::asio::ip::tcp::socket socket);

}  // namespace opsgraph::http::detail
