#include <atomic>
#include <boost/asio/io_context.hpp>
#include <opsgraph/http/server.hpp>
#include <opsgraph/mock/llm_server.hpp>
#include <thread>
#include <vector>

#include "delivery.hpp"

namespace opsgraph::mock {

namespace asio = boost::asio;

namespace {

// How long stop() lets answers in progress finish. Pauses, hangs and streams end at once when the
// server stops, so this bounds only writes to a client that does not read.
constexpr auto kStopGrace = std::chrono::seconds(2);
// The mock reads requests with larger headers than a production server would.
constexpr std::size_t kMaxHeaderBytes = 64 * 1024;

result<void> check_options(const ServerOptions& options) {
  if (options.host != "127.0.0.1")
    return fail(errc::invalid_argument,
                "the mock LLM server binds only 127.0.0.1, not '" + options.host + "'");
  return ok();
}

http::ServerOptions http_options(const ServerOptions& options) {
  http::ServerOptions http;
  http.host = options.host;
  http.port = options.port;
  http.server_name = "opsgraph-mock-llm";
  http.max_header_bytes = kMaxHeaderBytes;
  http.max_body_bytes = options.max_request_bytes;
  http.cert_file = options.cert_file;
  http.key_file = options.key_file;
  return http;
}

// Where the Responder finds the server's connection count; empty before start and after stop.
struct ServerSlot {
  std::atomic<const http::Server*> server{nullptr};
};

}  // namespace

struct MockLlmServer::Impl {
  // Declared first, destroyed last: connections' sockets belong to it.
  std::unique_ptr<asio::io_context> own_io;
  std::vector<std::thread> threads;
  std::shared_ptr<ServerSlot> slot;
  std::shared_ptr<detail::MockState> state;
  std::unique_ptr<http::Server> server;
  std::atomic<bool> stopped{false};

  ~Impl() {
    stop();
    slot->server = nullptr;
  }

  void stop() {
    if (stopped.exchange(true))
      return;
    server->stop(kStopGrace);
    if (own_io) {
      own_io->stop();
      for (auto& thread : threads)
        thread.join();
    }
  }
};

result<std::unique_ptr<MockLlmServer>> MockLlmServer::start(ServerOptions options) {
  if (options.io_threads == 0)
    return fail(errc::invalid_argument, "io_threads must be at least 1");
  auto io = std::make_unique<asio::io_context>(static_cast<int>(options.io_threads));
  Executor executor = io->get_executor();
  const auto threads = options.io_threads;
  auto started = start(std::move(options), executor);
  if (!started)
    return started;
  auto& impl = *started.value()->impl_;
  impl.own_io = std::move(io);
  // The accept loop keeps the io_context busy; stop() ends it.
  for (std::size_t i = 0; i < threads; ++i)
    impl.threads.emplace_back([&context = *impl.own_io] { context.run(); });
  return started;
}

result<std::unique_ptr<MockLlmServer>> MockLlmServer::start(ServerOptions options,
                                                            Executor executor) {
  OPSGRAPH_TRY(check_options(options));
  auto slot = std::make_shared<ServerSlot>();
  auto state = std::make_shared<detail::MockState>(options, [slot]() -> std::uint64_t {
    const auto* server = slot->server.load();
    return server ? server->open_connections() : 0;
  });
  http::Handler handler = [state](http::Exchange& exchange) {
    return detail::handle_request(state, exchange);
  };
  OPSGRAPH_TRY(auto server,
               http::Server::start(http_options(options), std::move(executor), std::move(handler)));
  slot->server = server.get();
  auto impl = std::make_unique<Impl>();
  impl->slot = std::move(slot);
  impl->state = std::move(state);
  impl->server = std::move(server);
  return std::unique_ptr<MockLlmServer>(new MockLlmServer(std::move(impl)));
}

MockLlmServer::MockLlmServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
MockLlmServer::~MockLlmServer() = default;

std::uint16_t MockLlmServer::port() const noexcept {
  return impl_->server->port();
}

std::string MockLlmServer::base_url() const {
  const auto* scheme = impl_->server->tls() ? "https" : "http";
  return std::string(scheme) + "://127.0.0.1:" + std::to_string(port()) + "/v1";
}

result<void> MockLlmServer::add_rule(Rule rule) {
  std::vector<Rule> rules;
  rules.push_back(std::move(rule));
  return add_rules(std::move(rules));
}

result<void> MockLlmServer::add_rules(std::vector<Rule> rules) {
  return impl_->state->responder.add_rules(std::move(rules));
}

void MockLlmServer::clear_rules() {
  impl_->state->responder.clear_rules();
}

Stats MockLlmServer::stats() const {
  return impl_->state->responder.stats();
}

void MockLlmServer::reset_stats() {
  impl_->state->responder.reset_stats();
}

void MockLlmServer::stop() {
  impl_->stop();
}

}  // namespace opsgraph::mock
