#pragma once
// ServerCore — what a running mock server shares with its accept loop and its connections: the
// options, the Responder, the listening socket, the TLS context and the registry of open
// connections. Held by shared_ptr, so a connection that outlives MockLlmServer::stop() by a few
// instructions still finds everything alive. Thread-safe as its members are. Internal.

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "responder.hpp"

namespace opsgraph::mock::detail {

/// A connection as the registry sees it: something stop() can close from any thread.
class Closable {
 public:
  virtual ~Closable() = default;
  /// Closes the socket and cancels pending waits, on the connection's own strand.
  virtual void close() = 0;
};

/// The live connections, so that stop() can close them. Thread-safe.
class ConnectionRegistry {
 public:
  /// Registers a connection; nullopt once close_all() has run (the caller then closes it).
  std::optional<std::uint64_t> add(std::weak_ptr<Closable> connection);
  void remove(std::uint64_t id);
  /// Closes every registered connection and refuses new ones.
  void close_all();
  bool empty() const;

 private:
  mutable std::mutex mutex_;
  std::unordered_map<std::uint64_t, std::weak_ptr<Closable>> connections_;
  std::uint64_t next_id_ = 0;
  bool closed_ = false;
};

struct ServerCore {
  ServerCore(const ServerOptions& server_options, Executor executor,
             boost::asio::ip::tcp::acceptor listener)
      : options(server_options),
        io(std::move(executor)),
        responder(server_options),
        acceptor(std::move(listener)) {}

  const ServerOptions options;
  /// Where connections run, each on a strand of its own.
  const Executor io;
  Responder responder;
  ConnectionRegistry connections;
  /// Set when the options ask for HTTPS.
  std::optional<boost::asio::ssl::context> tls;
  /// Used only on its own strand (the accept loop, and stop() through a post).
  boost::asio::ip::tcp::acceptor acceptor;
  std::atomic<bool> accepting{true};
};

/// Accepts connections until the acceptor closes, each served on its own strand.
Task<void> accept_connections(std::shared_ptr<ServerCore> core);

}  // namespace opsgraph::mock::detail
