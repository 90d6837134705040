#include "connection.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <opsgraph/core/runtime.hpp>

#include "listener.hpp"
#include "response_head.hpp"

namespace opsgraph::http::detail {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
// What one read asks the socket for.
constexpr std::size_t kReadSize = 16 * 1024;
// A read buffer that grew past this for a large request is given back before the next one, so
// that many kept-alive connections do not each hold their largest request's memory.
constexpr std::size_t kKeptBufferCapacity = 64 * 1024;
// How long a connection closed after an error answer keeps reading what the peer still sends, so
// that closing with unread data (which sends a reset) does not destroy the answer in flight.
constexpr auto kLingerTime = std::chrono::milliseconds(500);

// Keeps the registry right however the serving coroutine ends, including when its frame is
// destroyed without resuming.
class Registration {
 public:
  Registration(ConnectionRegistry& registry, ConnectionRegistry::Entry entry)
      : registry_(registry), entry_(entry) {}
  ~Registration() { registry_.remove(entry_); }
  Registration(const Registration&) = delete;
  Registration& operator=(const Registration&) = delete;

 private:
  ConnectionRegistry& registry_;
  ConnectionRegistry::Entry entry_;
};

// The answer to a request that could not be read: {status, detail}, or status 0 when the peer
// simply went away.
std::pair<int, std::string> read_failure(const boost::system::error_code& ec, bool timed_out,
                                         const ServerOptions& options) {
  if (timed_out)
    return {408, "The request did not arrive within " +
                     std::to_string(options.read_timeout.count()) + " ms."};
  if (ec == bhttp::error::body_limit)
    return {413, "The request body is larger than the limit of " +
                     std::to_string(options.max_body_bytes) + " bytes."};
  if (ec == bhttp::error::header_limit)
    return {431, "The request headers are larger than the limit of " +
                     std::to_string(options.max_header_bytes) + " bytes."};
  const auto& http_errors = make_error_code(bhttp::error::end_of_stream).category();
  if (ec.category() == http_errors && ec != bhttp::error::end_of_stream &&
      ec != bhttp::error::partial_message)
    return {400, "Malformed HTTP request: " + ec.message() + "."};
  return {0, {}};
}

template <class Stream>
void start(std::shared_ptr<ServerState> state, Stream stream) {
  auto executor = stream.get_executor();
  auto connection = std::make_shared<Connection<Stream>>(std::move(state), std::move(stream));
  auto& served = *connection;
  spawn(executor, served.run(std::move(connection)));
}

}  // namespace

void serve_connection(std::shared_ptr<ServerState> state, asio::ip::tcp::socket socket) {
  if (state->tls) {
    auto& tls = *state->tls;
    start(std::move(state), TlsStream(std::move(socket), tls));
  } else {
    start(std::move(state), std::move(socket));
  }
}

template <class Stream>
Connection<Stream>::Connection(std::shared_ptr<ServerState> state, Stream stream)
    : state_(std::move(state)),
      stream_(std::move(stream)),
      pause_timer_(stream_.get_executor()),
      deadline_(stream_.get_executor()),
      write_deadline_(stream_.get_executor()) {
  boost::system::error_code ec;
  const auto peer = beast::get_lowest_layer(stream_).remote_endpoint(ec);
  if (!ec)
    remote_address_ = peer.address().to_string();
}

template <class Stream>
Task<void> Connection<Stream>::run(std::shared_ptr<Connection> self) {
  auto entry = state_->connections.add(self, state_->options.max_connections);
  if (!entry) {
    close_now();
    co_return;
  }
  Registration registration(state_->connections, *entry);
  const bool secured = co_await handshake();
  if (!secured) {
    close_now();
    co_return;
  }
  if (!entry->admitted) {
    co_await refuse_over_limit();
    co_return;
  }
  for (;;) {
    const auto read = co_await read_request();
    if (read == Read::closed)
      break;
    if (read == Read::refused) {
      co_await linger_then_close();
      break;
    }
    const bool keep_open = co_await answer_request();
    if (!keep_open)
      break;
  }
  close_now();
}

template <class Stream>
Task<bool> Connection<Stream>::handshake() {
  if constexpr (std::is_same_v<Stream, TlsStream>) {
    arm_deadline(state_->options.read_timeout);
    auto [ec] = co_await stream_.async_handshake(asio::ssl::stream_base::server, kNoThrow);
    disarm_deadline();
    co_return !ec && !closed_;
  } else {
    co_return !closed_;
  }
}

template <class Stream>
Task<void> Connection<Stream>::refuse_over_limit() {
  keep_alive_ = false;
  auto problem = problem_response(503, "The server has too many open connections.");
  co_await respond(std::move(problem));
  co_await linger_then_close();
}

template <class Stream>
Task<typename Connection<Stream>::Read> Connection<Stream>::read_request() {
  if (closed_ || state_->stopping)
    co_return Read::closed;
  phase_ = Phase::idle;
  const auto& options = state_->options;
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(
      std::min<std::size_t>(options.max_header_bytes, std::numeric_limits<std::uint32_t>::max())));
  parser_->body_limit(options.max_body_bytes);
  if (buffer_.size() == 0 && buffer_.capacity() > kKeptBufferCapacity)
    buffer_.shrink_to_fit();
  if (buffer_.size() == 0) {
    arm_deadline(options.idle_timeout);
    auto [ec, received] = co_await stream_.async_read_some(buffer_.prepare(kReadSize), kNoThrow);
    buffer_.commit(received);
    if (ec || closed_)
      co_return Read::closed;
  }
  phase_ = Phase::reading;
  arm_deadline(options.read_timeout);
  const auto ec = co_await read_message();
  const bool timed_out = deadline_expired_;
  disarm_deadline();
  if (closed_)
    co_return Read::closed;
  if (!ec)
    co_return Read::request;
  const auto [status, detail] = read_failure(ec, timed_out, options);
  if (status == 0)
    co_return Read::closed;
  phase_ = Phase::answering;
  answer_ = Answer::none;
  keep_alive_ = false;
  head_request_ = false;
  http10_ = false;
  auto problem = problem_response(status, detail);
  co_await respond(std::move(problem));
  co_return Read::refused;
}

// Reads the rest of the request. A client that sent `Expect: 100-continue` (curl does for bodies
// over 1 KiB) waits for the interim answer before sending its body, so it gets one.
template <class Stream>
Task<boost::system::error_code> Connection<Stream>::read_message() {
  auto [header_error, header_bytes] =
      co_await bhttp::async_read_header(stream_, buffer_, *parser_, kNoThrow);
  if (header_error || parser_->is_done())
    co_return header_error;
  const auto& message = parser_->get();
  if (message.version() >= 11 && beast::iequals(message[bhttp::field::expect], "100-continue")) {
    static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    auto interim = asio::buffer(kContinue);
    auto [write_error, written] = co_await asio::async_write(stream_, interim, kNoThrow);
    if (write_error)
      co_return write_error;
  }
  auto [body_error, body_bytes] = co_await bhttp::async_read(stream_, buffer_, *parser_, kNoThrow);
  co_return body_error;
}

template <class Stream>
Task<bool> Connection<Stream>::answer_request() {
  phase_ = Phase::answering;
  const auto& message = parser_->get();
  answer_ = Answer::none;
  keep_alive_ = message.keep_alive();
  http10_ = message.version() < 11;
  head_request_ = message.method() == bhttp::verb::head;
  chunked_ = false;
  broken_ = false;
  close_after_ = false;
  woken_ = false;
  std::string failure;
  try {
    auto handled = state_->handler(*this);
    co_await std::move(handled);
  } catch (const std::exception& e) {
    failure = e.what();
  } catch (...) {
    failure = "an exception that is not a std::exception";
  }
  if (!failure.empty())
    state_->options.logger.error("http", "the request handler threw",
                                 {{"target", target()}, {"error", failure}});
  if (answer_ == Answer::none && !dead() && !state_->stopping) {
    auto problem = problem_response(
        500, failure.empty() ? "The request was not answered." : "The request handler failed.");
    co_await respond(std::move(problem));
  }
  const bool complete = answer_ == Answer::whole || answer_ == Answer::streamed;
  co_return complete&& keep_alive_ && !close_after_ && !dead() && !state_->stopping;
}

// Half-closes, then discards what the peer still sends until it closes too, or for a short while.
template <class Stream>
Task<void> Connection<Stream>::linger_then_close() {
  phase_ = Phase::closing;
  if (closed_)
    co_return;
  boost::system::error_code ignored;
  beast::get_lowest_layer(stream_).shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
  arm_deadline(std::min<std::chrono::milliseconds>(kLingerTime, state_->options.read_timeout));
  for (;;) {
    buffer_.consume(buffer_.size());
    auto& socket = beast::get_lowest_layer(stream_);
    auto [ec, received] = co_await socket.async_read_some(buffer_.prepare(kReadSize), kNoThrow);
    if (ec || closed_)
      break;
    buffer_.commit(received);
  }
  close_now();
}

// A read deadline: when it passes, the pending reads are cancelled (not the socket closed, so
// that a 408 can still be written). Each arm starts a new tick; stale expiries do nothing.
template <class Stream>
void Connection<Stream>::arm_deadline(std::chrono::milliseconds timeout) {
  deadline_expired_ = false;
  deadline_.expires_after(timeout);
  deadline_.async_wait([self = this->shared_from_this(), tick = ++deadline_tick_](
                           const boost::system::error_code& ec) { self->on_deadline(ec, tick); });
}

template <class Stream>
void Connection<Stream>::disarm_deadline() {
  // The pending wait stays (re-arming replaces it; close_now() cancels it) but is now stale.
  ++deadline_tick_;
  deadline_expired_ = false;
}

template <class Stream>
void Connection<Stream>::on_deadline(const boost::system::error_code& ec, std::uint64_t tick) {
  if (ec || tick != deadline_tick_ || closed_)
    return;
  deadline_expired_ = true;
  cancel_io();
}

template <class Stream>
void Connection<Stream>::cancel_io() {
  boost::system::error_code ignored;
  beast::get_lowest_layer(stream_).cancel(ignored);
}

template <class Stream>
void Connection<Stream>::stop_gracefully() {
  asio::post(stream_.get_executor(), [self = this->shared_from_this()] { self->on_stop(); });
}

template <class Stream>
void Connection<Stream>::close() {
  asio::post(stream_.get_executor(), [self = this->shared_from_this()] { self->close_now(); });
}

// A connection answering a request finishes its answer (pauses end, a drain stops); any other
// closes now.
template <class Stream>
void Connection<Stream>::on_stop() {
  if (phase_ != Phase::answering) {
    close_now();
    return;
  }
  pause_timer_.cancel();
  if (draining_)
    cancel_io();
}

template <class Stream>
void Connection<Stream>::close_now() {
  if (closed_)
    return;
  closed_ = true;
  phase_ = Phase::closing;
  boost::system::error_code ignored;
  beast::get_lowest_layer(stream_).close(ignored);
  pause_timer_.cancel();
  deadline_.cancel();
  write_deadline_.cancel();
}

template <class Stream>
std::string_view Connection<Stream>::method() const {
  const auto text = parser_->get().method_string();
  return {text.data(), text.size()};
}

template <class Stream>
std::string_view Connection<Stream>::target() const {
  const auto text = parser_->get().target();
  return {text.data(), text.size()};
}

template <class Stream>
std::string_view Connection<Stream>::body() const {
  return parser_->get().body();
}

template <class Stream>
std::optional<std::string_view> Connection<Stream>::header(std::string_view name) const {
  const auto& message = parser_->get();
  const auto found = message.find(beast::string_view(name.data(), name.size()));
  if (found == message.end())
    return std::nullopt;
  return std::string_view(found->value().data(), found->value().size());
}

template class Connection<PlainStream>;
template class Connection<TlsStream>;

}  // namespace opsgraph::http::detail
