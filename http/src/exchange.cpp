// Connection's Exchange: the ways a handler answers, on the connection's strand.

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <cstdio>

#include "connection.hpp"
#include "response_head.hpp"

namespace opsgraph::http::detail {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kDrainReadSize = 4096;
constexpr std::string_view kCrlf = "\r\n";
constexpr std::string_view kLastChunk = "0\r\n\r\n";

}  // namespace

// Over TLS the pieces are first copied into one buffer: encryption copies them anyway, records
// come out full, and Beast's ssl_stream ends a write early when a sequence's first remaining
// buffer is empty (which async_write produces once the head is out).
template <class Stream>
template <class Buffers>
Task<bool> Connection<Stream>::write(const Buffers& buffers) {
  if (dead())
    co_return false;
  // A peer that stops reading would hold this write, and the connection, forever: past the
  // deadline the connection closes, which ends the write with an error. Each write has its own
  // tick, so an expiry that raced the write's end does nothing.
  write_deadline_.expires_after(state_->options.write_timeout);
  write_deadline_.async_wait([self = this->shared_from_this(),
                              tick = ++write_tick_](const boost::system::error_code& error) {
    if (!error && tick == self->write_tick_)
      self->close_now();
  });
  boost::system::error_code ec;
  if constexpr (std::is_same_v<Stream, TlsStream>) {
    tls_out_.resize(asio::buffer_size(buffers));
    asio::buffer_copy(asio::buffer(tls_out_), buffers);
    auto flat = asio::buffer(tls_out_);
    auto [error, written] = co_await asio::async_write(stream_, flat, kNoThrow);
    ec = error;
  } else {
    auto [error, written] = co_await asio::async_write(stream_, buffers, kNoThrow);
    ec = error;
  }
  ++write_tick_;
  write_deadline_.cancel();
  if (ec)
    broken_ = true;
  co_return !ec;
}

template <class Stream>
Task<bool> Connection<Stream>::respond(Response response) {
  if (answer_ != Answer::none || dead())
    co_return false;
  answer_ = Answer::whole;
  if (state_->stopping)
    keep_alive_ = false;
  head_.clear();
  append_head(head_, state_->options.server_name,
              Head{.status = response.status,
                   .content_type = response.content_type,
                   .headers = &response.headers,
                   .framing = Framing::length,
                   .content_length = response.body.size(),
                   .close = !keep_alive_,
                   .http10 = http10_});
  const std::array<asio::const_buffer, 2> buffers{
      asio::buffer(head_), head_request_ ? asio::const_buffer() : asio::buffer(response.body)};
  co_return co_await write(buffers);
}

template <class Stream>
Task<bool> Connection<Stream>::begin_stream(int status, std::string content_type, Headers headers) {
  if (answer_ != Answer::none || dead())
    co_return false;
  answer_ = Answer::streaming;
  // HTTP/1.0 has no chunks: the body then ends with the connection.
  chunked_ = !http10_;
  if (state_->stopping || !chunked_)
    keep_alive_ = false;
  head_.clear();
  append_head(head_, state_->options.server_name,
              Head{.status = status,
                   .content_type = content_type,
                   .headers = &headers,
                   .framing = chunked_ ? Framing::chunked : Framing::until_close,
                   .content_length = 0,
                   .close = !keep_alive_,
                   .http10 = http10_});
  auto buffer = asio::buffer(head_);
  co_return co_await write(buffer);
}

template <class Stream>
Task<bool> Connection<Stream>::write_chunk(std::string_view data) {
  if (answer_ != Answer::streaming || dead())
    co_return false;
  if (data.empty())
    co_return true;  // an empty chunk would end the stream
  if (!chunked_) {
    auto buffer = asio::buffer(data);
    co_return co_await write(buffer);
  }
  std::array<char, 20> size_line{};
  const int length = std::snprintf(size_line.data(), size_line.size(), "%zx\r\n", data.size());
  const std::array<asio::const_buffer, 3> buffers{
      asio::buffer(size_line.data(), static_cast<std::size_t>(length)), asio::buffer(data),
      asio::buffer(kCrlf)};
  co_return co_await write(buffers);
}

template <class Stream>
Task<bool> Connection<Stream>::end_stream() {
  if (answer_ != Answer::streaming || dead())
    co_return false;
  answer_ = Answer::streamed;
  if (!chunked_) {
    close_after_ = true;
    co_return true;
  }
  auto buffer = asio::buffer(kLastChunk);
  co_return co_await write(buffer);
}

template <class Stream>
Task<bool> Connection<Stream>::pause(std::chrono::milliseconds delay) {
  if (dead() || state_->stopping)
    co_return false;
  if (!woken_) {
    pause_timer_.expires_after(delay);
    // Cut short by wake() (a cancel) or stop: either way the state below says what happened.
    co_await pause_timer_.async_wait(asio::as_tuple(asio::use_awaitable));
  }
  woken_ = false;
  co_return !dead() && !state_->stopping;
}

template <class Stream>
void Connection<Stream>::wake() {
  asio::post(stream_.get_executor(), [self = this->shared_from_this()] {
    self->woken_ = true;
    self->pause_timer_.cancel();
  });
}

template <class Stream>
bool Connection<Stream>::stopping() const {
  return state_->stopping;
}

template <class Stream>
Task<bool> Connection<Stream>::write_raw(std::string_view bytes) {
  answer_ = Answer::raw;
  auto buffer = asio::buffer(bytes);
  co_return co_await write(buffer);
}

template <class Stream>
void Connection<Stream>::shutdown_send() {
  if (answer_ == Answer::none)
    answer_ = Answer::raw;
  close_after_ = true;
  boost::system::error_code ignored;
  beast::get_lowest_layer(stream_).shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
}

template <class Stream>
void Connection<Stream>::reset() {
  answer_ = Answer::raw;
  boost::system::error_code ignored;
  beast::get_lowest_layer(stream_).set_option(asio::socket_base::linger(true, 0), ignored);
  close_now();
}

template <class Stream>
Task<void> Connection<Stream>::drain_until_closed() {
  close_after_ = true;
  draining_ = true;
  while (!dead() && !state_->stopping) {
    buffer_.consume(buffer_.size());
    auto& socket = beast::get_lowest_layer(stream_);
    auto [ec, received] =
        co_await socket.async_read_some(buffer_.prepare(kDrainReadSize), kNoThrow);
    if (ec) {
      broken_ = true;
      break;
    }
    buffer_.commit(received);
  }
  draining_ = false;
}

// The Exchange members of both instantiations (the rest are in connection.cpp).
#define OPSGRAPH_HTTP_INSTANTIATE_EXCHANGE(Stream)                                 \
  template Task<bool> Connection<Stream>::respond(Response);                       \
  template Task<bool> Connection<Stream>::begin_stream(int, std::string, Headers); \
  template Task<bool> Connection<Stream>::write_chunk(std::string_view);           \
  template Task<bool> Connection<Stream>::end_stream();                            \
  template Task<bool> Connection<Stream>::pause(std::chrono::milliseconds);        \
  template void Connection<Stream>::wake();                                        \
  template bool Connection<Stream>::stopping() const;                              \
  template Task<bool> Connection<Stream>::write_raw(std::string_view);             \
  template void Connection<Stream>::shutdown_send();                               \
  template void Connection<Stream>::reset();                                       \
  template Task<void> Connection<Stream>::drain_until_closed();

OPSGRAPH_HTTP_INSTANTIATE_EXCHANGE(PlainStream)
OPSGRAPH_HTTP_INSTANTIATE_EXCHANGE(TlsStream)

}  // namespace opsgraph::http::detail
