#pragma once
// Connection — one accepted connection, served by a coroutine on the socket's strand: HTTP/1.1
// requests in turn (keep-alive), each handed to the server's Handler as the Request and the
// Exchange it answers through. Owns its stream, its read buffer (reused across requests), one
// timer for pause() and one for read deadlines. Used only on its strand, except wake(),
// stop_gracefully() and close(), which post there. Owned by the serving coroutine, and briefly by
// posted handlers. Internal; instantiated for plain TCP and for TLS.

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "server_state.hpp"

namespace opsgraph::http::detail {

using PlainStream = boost::asio::ip::tcp::socket;
using TlsStream = boost::beast::ssl_stream<boost::asio::ip::tcp::socket>;

template <class Stream>
class Connection final : public Exchange,
                         public Request,
                         public Closable,
                         public std::enable_shared_from_this<Connection<Stream>> {
 public:
  Connection(std::shared_ptr<ServerState> state, Stream stream);

  /// Serves requests until the connection closes; `self` is this connection, kept alive.
  Task<void> run(std::shared_ptr<Connection> self);

  // Closable
  void stop_gracefully() override;
  void close() override;

  // Request
  std::string_view method() const override;
  std::string_view target() const override;
  std::string_view body() const override;
  std::optional<std::string_view> header(std::string_view name) const override;
  std::string_view remote_address() const override { return remote_address_; }

  // Exchange
  const Request& request() const override { return *this; }
  Task<bool> respond(Response response) override;
  Task<bool> begin_stream(int status, std::string content_type, Headers headers) override;
  Task<bool> write_chunk(std::string_view data) override;
  Task<bool> end_stream() override;
  Task<bool> pause(std::chrono::milliseconds delay) override;
  void wake() override;
  bool stopping() const override;
  Task<bool> write_raw(std::string_view bytes) override;
  void shutdown_send() override;
  void reset() override;
  Task<void> drain_until_closed() override;

 private:
  enum class Phase { starting, idle, reading, answering, closing };
  enum class Answer { none, whole, streaming, streamed, raw };
  enum class Read { request, refused, closed };
  using Parser = boost::beast::http::request_parser<boost::beast::http::string_body>;

  // connection.cpp: the life of the connection.
  Task<bool> handshake();
  Task<void> refuse_over_limit();
  Task<Read> read_request();
  Task<boost::system::error_code> read_message();
  Task<bool> answer_request();
  Task<void> linger_then_close();
  void arm_deadline(std::chrono::milliseconds timeout);
  void disarm_deadline();
  void on_deadline(const boost::system::error_code& ec, std::uint64_t tick);
  void on_stop();
  void close_now();
  void cancel_io();

  // exchange.cpp: the answers.
  template <class Buffers>
  Task<bool> write(const Buffers& buffers);

  /// The connection is closed or broke: nothing more can be written.
  bool dead() const { return closed_ || broken_; }

  std::shared_ptr<ServerState> state_;
  Stream stream_;
  boost::asio::steady_timer pause_timer_;
  boost::asio::steady_timer deadline_;
  // Closes the connection when a write stalls (ServerOptions::write_timeout).
  boost::asio::steady_timer write_deadline_;
  boost::beast::flat_buffer buffer_;
  std::optional<Parser> parser_;
  std::string remote_address_;
  /// The head of the current answer; reused.
  std::string head_;
  /// What a TLS write sends, in one piece (see write()); reused.
  std::string tls_out_;
  Phase phase_ = Phase::starting;
  std::uint64_t deadline_tick_ = 0;
  std::uint64_t write_tick_ = 0;
  bool deadline_expired_ = false;
  bool closed_ = false;

  // Per request.
  Answer answer_ = Answer::none;
  bool keep_alive_ = false;
  bool http10_ = false;
  bool head_request_ = false;
  bool chunked_ = false;
  /// A write failed or the peer went away.
  bool broken_ = false;
  /// The handler asked for the connection to close afterwards (raw bytes, a half-close).
  bool close_after_ = false;
  bool woken_ = false;
  bool draining_ = false;
};

extern template class Connection<PlainStream>;
extern template class Connection<TlsStream>;

}  // namespace opsgraph::http::detail
