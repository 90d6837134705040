#include "support/http_client.hpp"

#include <sys/socket.h>
#include <sys/time.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <functional>
#include <opsgraph/core/json.hpp>

namespace opsgraph::testing {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

std::string Reply::header(const std::string& name) const {
  auto found = headers.find(name);
  return found == headers.end() ? std::string() : found->second;
}

json::Value Reply::json() const {
  auto parsed = json::parse(body);
  return parsed ? parsed.value() : json::Value();
}

HttpClient::HttpClient(std::uint16_t port, ClientOptions options)
    : socket_(io_), receive_timeout_(options.receive_timeout) {
  socket_.connect(tcp::endpoint(asio::ip::make_address_v4("127.0.0.1"), port), connect_error_);
  if (connect_error_)
    return;
  const auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(options.receive_timeout).count();
  timeval timeout{static_cast<time_t>(micros / 1000000),
                  static_cast<suseconds_t>(micros % 1000000)};
  setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  if (!options.tls)
    return;
  tls_context_ = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_client);
  if (!options.ca_file.empty())
    tls_context_->load_verify_file(options.ca_file, connect_error_);
  if (connect_error_)
    return;
  tls_ = std::make_unique<asio::ssl::stream<tcp::socket&>>(socket_, *tls_context_);
  tls_->set_verify_mode(asio::ssl::verify_peer);
  tls_->set_verify_callback(asio::ssl::host_name_verification("127.0.0.1"));
  tls_->handshake(asio::ssl::stream_base::client, connect_error_);
}

HttpClient::~HttpClient() = default;

bool HttpClient::run_for(std::chrono::milliseconds timeout) {
  io_.restart();
  io_.run_for(timeout);
  if (io_.stopped())
    return true;
  close();
  io_.restart();
  io_.run();
  return false;
}

template <class Stream>
Reply HttpClient::read_reply(Stream& stream) {
  Reply reply;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 << 20);
  http::async_read(stream, buffer_, parser,
                   [&](boost::system::error_code ec, std::size_t) { reply.error = ec; });
  if (!run_for(receive_timeout_))
    reply.error = asio::error::timed_out;
  if (!parser.is_header_done())
    return reply;
  const auto& response = parser.get();
  reply.status = response.result_int();
  for (const auto& field : response) {
    std::string name(field.name_string());
    for (auto& c : name)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    reply.headers[name] = std::string(field.value());
  }
  reply.body = response.body();
  return reply;
}

Reply HttpClient::request(std::string_view method, std::string_view target, std::string_view body,
                          const Headers& headers) {
  std::string text = std::string(method) + " " + std::string(target) +
                     " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n";
  for (const auto& [name, value] : headers)
    text += name + ": " + value + "\r\n";
  text += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  text += body;
  return raw(text);
}

bool HttpClient::send(std::string_view bytes) {
  if (connect_error_)
    return false;
  boost::system::error_code error = asio::error::timed_out;
  const auto on_written = [&](boost::system::error_code ec, std::size_t) { error = ec; };
  if (tls_)
    asio::async_write(*tls_, asio::buffer(bytes), on_written);
  else
    asio::async_write(socket_, asio::buffer(bytes), on_written);
  run_for(receive_timeout_);
  return !error;
}

Reply HttpClient::read_reply() {
  if (connect_error_) {
    Reply reply;
    reply.error = connect_error_;
    return reply;
  }
  return tls_ ? read_reply(*tls_) : read_reply(socket_);
}

Reply HttpClient::raw(std::string_view bytes) {
  if (!send(bytes)) {
    Reply reply;
    reply.error = connect_error_ ? connect_error_ : asio::error::broken_pipe;
    return reply;
  }
  return read_reply();
}

std::string HttpClient::raw_until(std::string_view bytes, std::string_view delimiter) {
  if (connect_error_ || tls_)
    return {};
  std::string received;
  asio::async_write(socket_, asio::buffer(bytes), [&](boost::system::error_code ec, std::size_t) {
    if (ec)
      return;
    asio::async_read_until(socket_, asio::dynamic_buffer(received), delimiter,
                           [&](boost::system::error_code read_ec, std::size_t length) {
                             received.resize(read_ec ? 0 : length);
                           });
  });
  if (!run_for(receive_timeout_))
    return {};
  return received;
}

std::string HttpClient::read_until(std::string_view delimiter) {
  if (connect_error_)
    return {};
  const auto received = [this] {
    const auto data = buffer_.data();
    return std::string_view(static_cast<const char*>(data.data()), data.size());
  };
  std::function<void()> read_more;
  read_more = [&] {
    if (received().find(delimiter) != std::string_view::npos)
      return;
    const auto on_read = [&](boost::system::error_code ec, std::size_t length) {
      buffer_.commit(length);
      if (!ec)
        read_more();
    };
    if (tls_)
      tls_->async_read_some(buffer_.prepare(4096), on_read);
    else
      socket_.async_read_some(buffer_.prepare(4096), on_read);
  };
  read_more();
  run_for(receive_timeout_);
  const auto found = received().find(delimiter);
  if (found == std::string_view::npos)
    return {};
  const auto length = found + delimiter.size();
  std::string text(received().substr(0, length));
  buffer_.consume(length);
  return text;
}

bool HttpClient::wait_closed(std::chrono::milliseconds timeout) {
  if (connect_error_)
    return true;
  bool closed = false;
  std::function<void()> read_more;
  read_more = [&] {
    const auto on_read = [&](boost::system::error_code ec, std::size_t) {
      if (ec) {
        closed = ec != asio::error::operation_aborted;
        return;
      }
      read_more();
    };
    if (tls_)
      tls_->async_read_some(buffer_.prepare(4096), on_read);
    else
      socket_.async_read_some(buffer_.prepare(4096), on_read);
  };
  buffer_.consume(buffer_.size());
  read_more();
  run_for(timeout);
  return closed;
}

void HttpClient::close() {
  boost::system::error_code ignored;
  socket_.close(ignored);
}

std::vector<std::string> sse_data(std::string_view body) {
  std::vector<std::string> payloads;
  while (!body.empty()) {
    const auto end = body.find('\n');
    const auto line = body.substr(0, end);
    body = end == std::string_view::npos ? std::string_view{} : body.substr(end + 1);
    if (line.starts_with("data: "))
      payloads.emplace_back(line.substr(6));
  }
  return payloads;
}

}  // namespace opsgraph::testing
