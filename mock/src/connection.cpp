#include "connection.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <opsgraph/core/runtime.hpp>

namespace opsgraph::mock::detail {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using TlsStream = beast::ssl_stream<tcp::socket>;

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kHeaderLimit = 64 * 1024;
// Events a reset_mid_stream answer sends before the reset: the role delta and some content.
constexpr std::size_t kEventsBeforeReset = 3;
// The pause before a reset, so the client has read what was sent: on Linux an incoming RST
// discards received data the application has not read yet.
constexpr auto kPauseBeforeReset = std::chrono::milliseconds(50);

// One connection: its stream (plain or TLS), the timer its waits use and its read buffer. Used
// only on the connection's strand, except close(), which any thread may call (it posts there).
// Owned by the serving coroutine, and briefly by close()'s posted handler.
template <class Stream>
class Connection final : public Closable, public std::enable_shared_from_this<Connection<Stream>> {
 public:
  Connection(std::shared_ptr<ServerCore> core, Stream stream)
      : core_(std::move(core)), stream_(std::move(stream)), timer_(stream_.get_executor()) {}

  void close() override {
    asio::post(stream_.get_executor(), [self = this->shared_from_this()] { self->close_now(); });
  }

  void close_now() {
    closed_ = true;
    boost::system::error_code ignored;
    beast::get_lowest_layer(stream_).close(ignored);
    timer_.cancel();
  }

  // Sends a TCP reset instead of a FIN: linger on with a zero timeout, then close.
  void reset_now() {
    boost::system::error_code ignored;
    beast::get_lowest_layer(stream_).set_option(asio::socket_base::linger(true, 0), ignored);
    close_now();
  }

  // Waits `delay`; false when the wait was cut short by stop().
  Task<bool> pause(std::chrono::milliseconds delay) {
    timer_.expires_after(delay);
    auto [ec] = co_await timer_.async_wait(kNoThrow);
    co_return !ec && !closed_;
  }

  ServerCore& core() { return *core_; }
  Stream& stream() { return stream_; }
  beast::flat_buffer& buffer() { return buffer_; }
  bool closed() const { return closed_; }

 private:
  std::shared_ptr<ServerCore> core_;
  Stream stream_;
  asio::steady_timer timer_;
  beast::flat_buffer buffer_;
  bool closed_ = false;
};

// Keeps the counters and the registry right however the serving coroutine ends, including when
// its frame is destroyed without resuming.
class Registration {
 public:
  Registration(ServerCore& core, std::weak_ptr<Closable> connection) : core_(core) {
    core_.responder.connection_opened();
    id_ = core_.connections.add(std::move(connection));
  }
  ~Registration() {
    if (id_)
      core_.connections.remove(*id_);
    core_.responder.connection_closed();
  }
  Registration(const Registration&) = delete;
  Registration& operator=(const Registration&) = delete;
  /// False when the server was stopping already: the connection must close at once.
  bool admitted() const { return id_.has_value(); }

 private:
  ServerCore& core_;
  std::optional<std::uint64_t> id_;
};

std::string raw_head(const Reply& reply, std::size_t content_length) {
  std::string head = "HTTP/1.1 " + std::to_string(reply.status) + " " +
                     std::string(http::obsolete_reason(http::int_to_status(reply.status))) +
                     "\r\nContent-Type: " + reply.content_type +
                     "\r\nContent-Length: " + std::to_string(content_length) +
                     "\r\nConnection: close\r\n\r\n";
  return head;
}

template <class Stream>
Task<bool> write_text(Stream& stream, std::string_view text) {
  auto buffer = asio::buffer(text);
  auto [ec, written] = co_await asio::async_write(stream, buffer, kNoThrow);
  co_return !ec;
}

template <class Stream>
Task<bool> deliver_whole(Connection<Stream>& connection, const Reply& reply, bool keep_alive,
                         unsigned version) {
  http::response<http::string_body> response{http::int_to_status(reply.status), version};
  response.set(http::field::server, "opsgraph-mock-llm");
  response.set(http::field::content_type, reply.content_type);
  for (const auto& [name, value] : reply.headers)
    response.set(name, value);
  response.body() = reply.body;
  response.keep_alive(keep_alive);
  response.prepare_payload();
  auto [ec, written] = co_await http::async_write(connection.stream(), response, kNoThrow);
  co_return !ec && keep_alive;
}

// Chunked transfer encoding keeps the connection reusable after the stream ends.
template <class Stream>
Task<bool> write_stream_head(Connection<Stream>& connection, bool keep_alive, unsigned version) {
  http::response<http::empty_body> response{http::status::ok, version};
  response.set(http::field::server, "opsgraph-mock-llm");
  response.set(http::field::content_type, "text/event-stream");
  response.set(http::field::cache_control, "no-cache");
  response.keep_alive(keep_alive);
  response.chunked(true);
  http::response_serializer<http::empty_body> serializer{response};
  auto [ec, written] = co_await http::async_write_header(connection.stream(), serializer, kNoThrow);
  co_return !ec;
}

template <class Stream>
Task<bool> write_event(Connection<Stream>& connection, const std::string& event) {
  auto chunk = http::make_chunk(asio::buffer(event));
  auto [ec, written] = co_await asio::async_write(connection.stream(), chunk, kNoThrow);
  co_return !ec;
}

template <class Stream>
Task<bool> deliver_stream(Connection<Stream>& connection, const Reply& reply, bool keep_alive,
                          unsigned version) {
  if (!co_await write_stream_head(connection, keep_alive, version))
    co_return false;
  const auto interval = connection.core().options.stream_event_interval;
  for (const auto& event : reply.events) {
    if (interval.count() > 0) {
      if (!co_await connection.pause(interval))
        co_return false;
    }
    if (!co_await write_event(connection, event)) {
      connection.core().responder.stream_aborted();
      co_return false;
    }
  }
  auto last = http::make_chunk_last();
  auto [ec, written] = co_await asio::async_write(connection.stream(), last, kNoThrow);
  co_return !ec && keep_alive;
}

// Reads and discards until the client goes away or the connection is closed by stop().
template <class Stream>
Task<bool> deliver_nothing(Connection<Stream>& connection) {
  std::array<char, 1024> scratch{};
  for (;;) {
    auto buffer = asio::buffer(scratch);
    auto [ec, read] = co_await connection.stream().async_read_some(buffer, kNoThrow);
    if (ec)
      co_return false;
  }
}

template <class Stream>
Task<bool> deliver_truncated(Connection<Stream>& connection, const Reply& reply) {
  const auto text =
      raw_head(reply, reply.body.size()) + reply.body.substr(0, reply.body.size() / 2);
  co_await write_text(connection.stream(), text);
  boost::system::error_code ignored;
  beast::get_lowest_layer(connection.stream()).shutdown(tcp::socket::shutdown_send, ignored);
  co_return false;
}

template <class Stream>
Task<bool> deliver_reset(Connection<Stream>& connection, const Reply& reply, unsigned version) {
  if (reply.events.empty()) {
    const auto text =
        raw_head(reply, reply.body.size()) + reply.body.substr(0, reply.body.size() / 2);
    co_await write_text(connection.stream(), text);
  } else if (co_await write_stream_head(connection, true, version)) {
    const auto count = std::min(kEventsBeforeReset, reply.events.size() - 1);
    for (std::size_t i = 0; i < count; ++i) {
      if (!co_await write_event(connection, reply.events[i]))
        break;
    }
  }
  co_await connection.pause(kPauseBeforeReset);
  connection.reset_now();
  co_return false;
}

// Delivers one reply; true when the connection stays open for another request.
template <class Stream>
Task<bool> deliver(Connection<Stream>& connection, const Reply& reply, bool keep_alive,
                   unsigned version) {
  // g++ 12 miscompiles co_await inside && and ||: the awaits here stand alone.
  if (reply.delay.count() > 0) {
    if (!co_await connection.pause(reply.delay))
      co_return false;
  }
  // Awaited in plain statements: g++ 12 mis-resumes `co_return co_await` inside a switch.
  bool keep_open = false;
  if (reply.delivery == Delivery::whole)
    keep_open = co_await deliver_whole(connection, reply, keep_alive, version);
  else if (reply.delivery == Delivery::stream)
    keep_open = co_await deliver_stream(connection, reply, keep_alive, version);
  else if (reply.delivery == Delivery::hang)
    keep_open = co_await deliver_nothing(connection);
  else if (reply.delivery == Delivery::truncated)
    keep_open = co_await deliver_truncated(connection, reply);
  else
    keep_open = co_await deliver_reset(connection, reply, version);
  co_return keep_open;
}

// The reply to a request that could not be read, or nullopt when the peer simply went away.
std::optional<Reply> read_failure_reply(const boost::system::error_code& ec, std::size_t limit) {
  if (ec == http::error::body_limit)
    return error_reply(
        413, "The request body is larger than the limit of " + std::to_string(limit) + " bytes.",
        "invalid_request_error", "request_too_large");
  if (ec == http::error::header_limit)
    return error_reply(431, "The request headers are too large.", "invalid_request_error");
  const auto& http_errors = make_error_code(http::error::end_of_stream).category();
  if (ec.category() == http_errors && ec != http::error::end_of_stream &&
      ec != http::error::partial_message)
    return error_reply(400, "Malformed HTTP request: " + ec.message(), "invalid_request_error");
  return std::nullopt;
}

std::optional<std::string_view> header(const http::request<http::string_body>& request,
                                       std::string_view name) {
  auto found = request.find(name);
  if (found == request.end())
    return std::nullopt;
  return std::string_view(found->value().data(), found->value().size());
}

template <class Stream>
Task<bool> handshake(Stream&) {
  co_return true;
}

Task<bool> handshake(TlsStream& stream) {
  auto [ec] = co_await stream.async_handshake(asio::ssl::stream_base::server, kNoThrow);
  co_return !ec;
}

// Reads one request. A client that sent `Expect: 100-continue` (curl does for bodies over 1 KiB)
// waits for the interim answer before sending its body, so it gets one.
template <class Stream>
Task<boost::system::error_code> read_request(Connection<Stream>& connection,
                                             http::request_parser<http::string_body>& parser) {
  auto [header_error, header_bytes] =
      co_await http::async_read_header(connection.stream(), connection.buffer(), parser, kNoThrow);
  if (header_error || parser.is_done())
    co_return header_error;
  if (beast::iequals(parser.get()[http::field::expect], "100-continue")) {
    if (!co_await write_text(connection.stream(), "HTTP/1.1 100 Continue\r\n\r\n"))
      co_return asio::error::connection_aborted;
  }
  auto [body_error, body_bytes] =
      co_await http::async_read(connection.stream(), connection.buffer(), parser, kNoThrow);
  co_return body_error;
}

template <class Stream>
Task<void> serve(std::shared_ptr<Connection<Stream>> connection) {
  Registration registration(connection->core(), connection);
  bool secured = false;
  if (registration.admitted())
    secured = co_await handshake(connection->stream());
  if (!secured) {
    connection->close_now();
    co_return;
  }
  auto& core = connection->core();
  while (!connection->closed()) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(core.options.max_request_bytes);
    parser.header_limit(kHeaderLimit);
    const auto ec = co_await read_request(*connection, parser);
    if (ec) {
      if (auto failure = read_failure_reply(ec, core.options.max_request_bytes)) {
        core.responder.count_unreadable_request();
        co_await deliver_whole(*connection, *failure, false, 11);
      }
      break;
    }
    const auto& request = parser.get();
    const RequestView view{request.method_string(), request.target(), request.body(),
                           header(request, "x-mock-fault"), header(request, "x-mock-fault-count")};
    const auto reply = core.responder.respond(view);
    if (!co_await deliver(*connection, reply, request.keep_alive(), request.version()))
      break;
  }
  connection->close_now();
}

template <class Stream>
void start(std::shared_ptr<ServerCore> core, Stream stream) {
  auto executor = stream.get_executor();
  auto connection = std::make_shared<Connection<Stream>>(std::move(core), std::move(stream));
  spawn(executor, serve<Stream>(std::move(connection)));
}

}  // namespace

void serve_connection(std::shared_ptr<ServerCore> core, tcp::socket socket) {
  if (core->tls) {
    auto& tls = *core->tls;
    start(std::move(core), TlsStream(std::move(socket), tls));
  } else {
    start(std::move(core), std::move(socket));
  }
}

}  // namespace opsgraph::mock::detail
