#pragma once
// opsgraph::http::Server — the HTTP/1.1 server plumbing that opsgraphd and the mock LLM server
// share: an accept loop on a caller's executor, one coroutine per connection on its own strand
// (no thread per connection), keep-alive, limits on headers, bodies, read time, idle time and
// connections, optional TLS, and a graceful stop. What a request means is the Handler's business.
//
//   http::ServerOptions options;                    // 127.0.0.1, a free port
//   auto server = http::Server::start(options, executor,
//       [](http::Exchange& exchange) -> Task<void> {
//         co_await exchange.respond({.status = 200, .content_type = "text/plain", .body = "hi"});
//       });
//
// Thread-safe: every member may be called from any thread but the executor's own (stop() waits).
// Internal to the build tree (never installed); Beast and Asio stay in its sources.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <opsgraph/core/log.hpp>
#include <opsgraph/core/result.hpp>
#include <opsgraph/core/task.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace opsgraph::http {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct ServerOptions {
  /// The address to bind: an IPv4 or IPv6 literal ("127.0.0.1" unless the operator says
  /// otherwise; put a reverse proxy in front for anything public).
  std::string host = "127.0.0.1";
  /// 0 picks a free ephemeral port (see Server::port()).
  std::uint16_t port = 0;
  /// The `Server` header of every response.
  std::string server_name = "opsgraph";
  /// Larger request headers are answered 431, larger bodies 413; the connection then closes.
  std::size_t max_header_bytes = 16 * 1024;
  std::size_t max_body_bytes = 1024 * 1024;
  /// Once a request's first byte has arrived, all of it must arrive within this (else 408).
  std::chrono::milliseconds read_timeout{std::chrono::seconds{10}};
  /// A kept-alive connection with no request for this long is closed.
  std::chrono::milliseconds idle_timeout{std::chrono::seconds{60}};
  /// Each write of an answer (a whole answer, a stream's head or one chunk) must be taken by the
  /// peer within this: a client that stops reading has its connection closed, and the write
  /// returns false, instead of holding the connection and its answer forever.
  std::chrono::milliseconds write_timeout{std::chrono::seconds{30}};
  /// Connections beyond this are answered 503 at once and closed.
  std::size_t max_connections = 4096;
  /// PEM certificate chain and private key: both set means HTTPS, both empty plain HTTP.
  std::string cert_file;
  std::string key_file;
  /// Where a handler's escaped exception (a bug: it is answered 500) is reported.
  Logger logger{};
};

/// One parsed request, valid while its handler runs.
class Request {
 public:
  virtual ~Request() = default;
  virtual std::string_view method() const = 0;
  /// The request target as sent: path and query ("/api/v1/tasks?status=failed").
  virtual std::string_view target() const = 0;
  virtual std::string_view body() const = 0;
  /// A header's value (names compare case-insensitively); nullopt when absent.
  virtual std::optional<std::string_view> header(std::string_view name) const = 0;
  /// The peer's address ("127.0.0.1").
  virtual std::string_view remote_address() const = 0;
  /// The path part of the target (before any '?').
  std::string_view path() const;
  /// The query part of the target (after '?'; empty when there is none).
  std::string_view query() const;
};

/// A whole response. Content-Length, Server, Date and Connection are set by the server.
struct Response {
  int status = 200;
  std::string content_type = "application/json";
  Headers headers{};
  std::string body{};
};

/// A request being answered: the request, and the ways to answer it — a whole response, a
/// chunked stream (Server-Sent Events), or raw bytes and abrupt ends (for fault injection).
/// A handler answers once; one that returns without answering, or throws, gets a 500 (unless the
/// connection broke or the server is stopping: then the connection just closes). Used only on
/// the connection's strand (where the handler runs), except wake(), which any thread may call.
/// Owned by the connection; valid while the handler runs.
class Exchange {
 public:
  virtual ~Exchange() = default;
  virtual const Request& request() const = 0;

  /// Sends `response`; false when the connection broke (there is nothing more to do then).
  virtual Task<bool> respond(Response response) = 0;

  /// Starts a chunked response (for text/event-stream); then write_chunk, then end_stream. A
  /// stream the handler leaves unended closes the connection.
  virtual Task<bool> begin_stream(int status, std::string content_type, Headers headers) = 0;
  virtual Task<bool> write_chunk(std::string_view data) = 0;
  virtual Task<bool> end_stream() = 0;

  /// Waits up to `delay`, or less when wake() is called. False when the connection is closing
  /// (the peer went away, or the server is stopping): the handler should return.
  virtual Task<bool> pause(std::chrono::milliseconds delay) = 0;
  /// Ends a pause() early; callable from any thread (an event arrived for a stream, say). A
  /// wake() while no pause is pending makes the next pause() return at once, so none is lost.
  virtual void wake() = 0;
  /// Whether the server is stopping: long answers (event streams) should end.
  virtual bool stopping() const = 0;

  /// Sends bytes as they are, bypassing HTTP framing; the connection closes after the handler.
  virtual Task<bool> write_raw(std::string_view bytes) = 0;
  /// Half-closes the connection (FIN) after what was written.
  virtual void shutdown_send() = 0;
  /// Closes the connection with a TCP reset instead of a FIN.
  virtual void reset() = 0;
  /// Reads and discards until the peer goes away or the server stops (a hung answer).
  virtual Task<void> drain_until_closed() = 0;
};

using Handler = std::function<Task<void>(Exchange&)>;

class Server {
 public:
  /// Binds, listens and serves on `executor`, which must outlive the server. Errors:
  /// invalid_argument (a bad host, half a TLS configuration, a zero limit), not_found or
  /// invalid_argument (unreadable or bad PEM files), upstream_unavailable (the port is taken).
  static result<std::unique_ptr<Server>> start(ServerOptions options, Executor executor,
                                               Handler handler);
  /// Stops abruptly (see stop(std::chrono::milliseconds{0})).
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  std::uint16_t port() const noexcept;
  bool tls() const noexcept;
  std::size_t open_connections() const noexcept;

  /// Stops accepting at once. Idle connections close now; a request being answered gets its
  /// answer (with `Connection: close`) for up to `grace` — its pause() and drain_until_closed()
  /// return at once, so streams and hung answers end promptly — then every connection is closed
  /// and stop returns, after waiting a bounded time (about two seconds) for handlers still busy
  /// with work of their own to return. Idempotent. Do not call it from a thread running the
  /// server's executor.
  void stop(std::chrono::milliseconds grace = std::chrono::seconds{10});

 private:
  struct Impl;
  explicit Server(std::shared_ptr<Impl> impl);
  std::shared_ptr<Impl> impl_;
};

/// The text of a status code ("Not Found"; "" for unknown codes).
std::string_view reason_phrase(int status);

/// `%XX` and `+` decoded. Errors: invalid_argument (a malformed escape).
result<std::string> url_decode(std::string_view text);

/// A query string ("a=1&b=x%20y") as decoded name/value pairs, in order. Errors:
/// invalid_argument (a malformed escape).
result<std::vector<std::pair<std::string, std::string>>> parse_query(std::string_view query);

}  // namespace opsgraph::http
