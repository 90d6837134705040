#include "tls_context.hpp"

#include <filesystem>

namespace opsgraph::http::detail {

namespace asio = boost::asio;

result<asio::ssl::context> make_tls_context(const ServerOptions& options) {
  for (const auto* file : {&options.cert_file, &options.key_file}) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(*file, ec))
      return fail(errc::not_found, "cannot read TLS file '" + *file + "'");
  }
  asio::ssl::context context(asio::ssl::context::tls_server);
  boost::system::error_code ec;
  context.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                          asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                          asio::ssl::context::no_tlsv1_1,
                      ec);
  if (!ec)
    context.use_certificate_chain_file(options.cert_file, ec);
  if (ec)
    return fail(errc::invalid_argument,
                "TLS certificate '" + options.cert_file + "': " + ec.message());
  context.use_private_key_file(options.key_file, asio::ssl::context::pem, ec);
  if (ec)
    return fail(errc::invalid_argument, "TLS key '" + options.key_file + "': " + ec.message());
  return context;
}

}  // namespace opsgraph::http::detail
