#pragma once
// One accepted connection of the mock server, served by a coroutine on the socket's strand:
// HTTP/1.1 requests in turn (keep-alive), each answered as the Responder's Reply says, faults
// included. Internal.

#include <boost/asio/ip/tcp.hpp>
#include <memory>

#include "server_core.hpp"

namespace opsgraph::mock::detail {

/// Serves `socket` (already on its own strand) as plain HTTP, or as HTTPS when core->tls is set.
/// Returns at once; the connection registers itself in core->connections.
void serve_connection(std::shared_ptr<ServerCore> core, boost::asio::ip::tcp::socket socket);

}  // namespace opsgraph::mock::detail
