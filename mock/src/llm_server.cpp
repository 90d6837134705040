#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <filesystem>
#include <opsgraph/core/runtime.hpp>
#include <opsgraph/mock/llm_server.hpp>
#include <thread>
#include <vector>

#include "server_core.hpp"

namespace opsgraph::mock {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

// How long stop() waits for connections to wind down after closing them; they end within
// microseconds unless a thread of a caller's executor is blocked.
constexpr auto kStopGrace = std::chrono::seconds(5);

result<void> check_options(const ServerOptions& options) {
  if (options.host != "127.0.0.1")
    return fail(errc::invalid_argument,
                "the mock LLM server binds only 127.0.0.1, not '" + options.host + "'");
  if (options.cert_file.empty() != options.key_file.empty())
    return fail(errc::invalid_argument, "TLS needs both cert_file and key_file");
  for (const auto* file : {&options.cert_file, &options.key_file}) {
    std::error_code ec;
    if (!file->empty() && !std::filesystem::is_regular_file(*file, ec))
      return fail(errc::not_found, "cannot read TLS file '" + *file + "'");
  }
  return ok();
}

result<asio::ssl::context> make_tls_context(const ServerOptions& options) {
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

result<tcp::acceptor> listen_on(const Executor& executor, const ServerOptions& options) {
  tcp::acceptor acceptor(asio::make_strand(executor));
  const tcp::endpoint endpoint(asio::ip::make_address_v4("127.0.0.1"), options.port);
  boost::system::error_code ec;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec)
    acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec)
    acceptor.bind(endpoint, ec);
  if (!ec)
    acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    return fail(error_from(ec, "listen on 127.0.0.1:" + std::to_string(options.port)));
  return acceptor;
}

}  // namespace

struct MockLlmServer::Impl {
  // Declared first, destroyed last: connections' sockets belong to it.
  std::unique_ptr<asio::io_context> own_io;
  std::vector<std::thread> threads;
  std::shared_ptr<detail::ServerCore> core;
  std::uint16_t port = 0;
  std::atomic<bool> stopped{false};

  ~Impl() { stop(); }

  void stop() {
    if (stopped.exchange(true))
      return;
    asio::post(core->acceptor.get_executor(), [core = core] {
      boost::system::error_code ignored;
      core->acceptor.close(ignored);
    });
    core->connections.close_all();
    wait_for_connections();
    if (own_io) {
      own_io->stop();
      for (auto& thread : threads)
        thread.join();
    }
  }

  void wait_for_connections() const {
    const auto deadline = std::chrono::steady_clock::now() + kStopGrace;
    while ((core->accepting || !core->connections.empty()) &&
           std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
};

result<std::unique_ptr<MockLlmServer>> MockLlmServer::start(ServerOptions options) {
  if (options.io_threads == 0)
    return fail(errc::invalid_argument, "io_threads must be at least 1");
  auto io = std::make_unique<asio::io_context>(static_cast<int>(options.io_threads));
  Executor executor = io->get_executor();
  auto started = start(std::move(options), executor);
  if (!started)
    return started;
  auto& impl = *started.value()->impl_;
  impl.own_io = std::move(io);
  // The accept loop keeps the io_context busy; stop() ends it.
  for (std::size_t i = 0; i < impl.core->options.io_threads; ++i)
    impl.threads.emplace_back([&context = *impl.own_io] { context.run(); });
  return started;
}

result<std::unique_ptr<MockLlmServer>> MockLlmServer::start(ServerOptions options,
                                                            Executor executor) {
  OPSGRAPH_TRY(check_options(options));
  std::optional<asio::ssl::context> tls;
  if (!options.cert_file.empty()) {
    OPSGRAPH_TRY(auto context, make_tls_context(options));
    tls.emplace(std::move(context));
  }
  OPSGRAPH_TRY(auto acceptor, listen_on(executor, options));
  auto impl = std::make_unique<Impl>();
  impl->port = acceptor.local_endpoint().port();
  impl->core = std::make_shared<detail::ServerCore>(options, executor, std::move(acceptor));
  impl->core->tls = std::move(tls);
  spawn(impl->core->acceptor.get_executor(), detail::accept_connections(impl->core));
  return std::unique_ptr<MockLlmServer>(new MockLlmServer(std::move(impl)));
}

MockLlmServer::MockLlmServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
MockLlmServer::~MockLlmServer() = default;

std::uint16_t MockLlmServer::port() const noexcept {
  return impl_->port;
}

std::string MockLlmServer::base_url() const {
  const auto* scheme = impl_->core->tls ? "https" : "http";
  return std::string(scheme) + "://127.0.0.1:" + std::to_string(impl_->port) + "/v1";
}

result<void> MockLlmServer::add_rule(Rule rule) {
  std::vector<Rule> rules;
  rules.push_back(std::move(rule));
  return add_rules(std::move(rules));
}

result<void> MockLlmServer::add_rules(std::vector<Rule> rules) {
  return impl_->core->responder.add_rules(std::move(rules));
}

void MockLlmServer::clear_rules() {
  impl_->core->responder.clear_rules();
}

Stats MockLlmServer::stats() const {
  return impl_->core->responder.stats();
}

void MockLlmServer::reset_stats() {
  impl_->core->responder.reset_stats();
}

void MockLlmServer::stop() {
  impl_->stop();
}

}  // namespace opsgraph::mock
