#include <boost/asio/post.hpp>
#include <mutex>
#include <opsgraph/core/runtime.hpp>
#include <opsgraph/http/server.hpp>
#include <thread>

#include "listener.hpp"
#include "server_state.hpp"
#include "tls_context.hpp"

namespace opsgraph::http {

namespace asio = boost::asio;

namespace {

// How long stop() waits, after closing every connection, for them and the accept loop to end;
// they end within microseconds unless every thread of the executor is blocked.
constexpr auto kCloseWait = std::chrono::seconds(2);

result<void> check_options(const ServerOptions& options) {
  if (options.cert_file.empty() != options.key_file.empty())
    return fail(errc::invalid_argument, "TLS needs both cert_file and key_file");
  if (options.max_header_bytes == 0 || options.max_body_bytes == 0 || options.max_connections == 0)
    return fail(errc::invalid_argument,
                "max_header_bytes, max_body_bytes and max_connections must be positive");
  if (options.read_timeout.count() <= 0 || options.idle_timeout.count() <= 0)
    return fail(errc::invalid_argument, "read_timeout and idle_timeout must be positive");
  return ok();
}

}  // namespace

struct Server::Impl : detail::ServerState {
  using ServerState::ServerState;

  std::uint16_t port = 0;
  std::mutex stop_mutex;
  bool stopped = false;
};

result<std::unique_ptr<Server>> Server::start(ServerOptions options, Executor executor,
                                              Handler handler) {
  OPSGRAPH_TRY(check_options(options));
  if (!handler)
    return fail(errc::invalid_argument, "the server needs a request handler");
  std::optional<asio::ssl::context> tls;
  if (!options.cert_file.empty()) {
    OPSGRAPH_TRY(auto context, detail::make_tls_context(options));
    tls.emplace(std::move(context));
  }
  OPSGRAPH_TRY(auto acceptor, detail::listen_on(executor, options));
  const auto port = acceptor.local_endpoint().port();
  auto impl = std::make_shared<Impl>(std::move(options), std::move(executor), std::move(handler),
                                     std::move(acceptor));
  impl->port = port;
  impl->tls = std::move(tls);
  std::shared_ptr<detail::ServerState> state = impl;
  spawn(impl->acceptor.get_executor(), detail::accept_connections(std::move(state)));
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Server::Server(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() {
  stop(std::chrono::milliseconds{0});
}

std::uint16_t Server::port() const noexcept {
  return impl_->port;
}

bool Server::tls() const noexcept {
  return impl_->tls.has_value();
}

std::size_t Server::open_connections() const noexcept {
  return impl_->connections.admitted();
}

void Server::stop(std::chrono::milliseconds grace) {
  std::lock_guard lock(impl_->stop_mutex);
  if (impl_->stopped)
    return;
  impl_->stopped = true;
  impl_->stopping = true;
  asio::post(impl_->acceptor.get_executor(), [impl = impl_] {
    boost::system::error_code ignored;
    impl->acceptor.close(ignored);
  });
  auto& connections = impl_->connections;
  connections.begin_stop();
  const auto now = std::chrono::steady_clock::now();
  if (!connections.wait_until_empty(now + grace)) {
    connections.close_all();
    connections.wait_until_empty(std::chrono::steady_clock::now() + kCloseWait);
  }
  const auto deadline = std::chrono::steady_clock::now() + kCloseWait;
  while (impl_->accepting && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

}  // namespace opsgraph::http
