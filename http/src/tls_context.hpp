#pragma once
// The server side of TLS: an OpenSSL context from the options' PEM files. Internal.

#include <boost/asio/ssl/context.hpp>
#include <opsgraph/http/server.hpp>

namespace opsgraph::http::detail {

/// TLS 1.2 or later with `options.cert_file` and `options.key_file`. not_found for an unreadable
/// file, invalid_argument for one OpenSSL refuses.
result<boost::asio::ssl::context> make_tls_context(const ServerOptions& options);

}  // namespace opsgraph::http::detail
