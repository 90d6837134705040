#pragma once
// HttpClient — a blocking HTTP/1.1 client (Beast) for tests against servers on 127.0.0.1: one
// connection, kept alive across requests, plain or TLS, with a timeout per operation so that no
// test can hang. Replies keep whatever arrived before an error, so tests can look at truncated
// answers; send() and the read_* calls let a test drive a request and read its answer in pieces
// (a stream, say). Not thread-safe.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <opsgraph/core/json_value.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace opsgraph::testing {

struct ClientOptions {
  /// Speak TLS, verifying the server against `ca_file` (empty: trust nothing but defaults).
  bool tls = false;
  std::string ca_file;
  /// How long one request (or one read_*) may take before it fails with timed_out (and the
  /// connection closes).
  std::chrono::milliseconds receive_timeout{10000};
};

struct Reply {
  /// The connect, handshake, write or read error; empty when a whole reply arrived.
  boost::system::error_code error;
  unsigned status = 0;
  /// Header names lower-cased.
  std::map<std::string, std::string> headers;
  std::string body;

  std::string header(const std::string& name) const;
  /// The body parsed as JSON (null when it is not JSON).
  json::Value json() const;
};

using Headers = std::vector<std::pair<std::string, std::string>>;

class HttpClient {
 public:
  HttpClient(std::uint16_t port, ClientOptions options);
  explicit HttpClient(std::uint16_t port) : HttpClient(port, ClientOptions{}) {}
  ~HttpClient();

  /// The error of connecting (and of the TLS handshake); empty on success.
  const boost::system::error_code& connect_error() const { return connect_error_; }

  Reply request(std::string_view method, std::string_view target, std::string_view body,
                const Headers& headers);
  Reply get(std::string_view target) { return request("GET", target, {}, {}); }
  Reply post(std::string_view target, std::string_view body, const Headers& headers = {}) {
    return request("POST", target, body, headers);
  }
  /// Sends `bytes` as they are (for malformed HTTP) and reads one reply.
  Reply raw(std::string_view bytes);
  /// Sends `bytes` and returns what arrives up to and including `delimiter` (empty on a timeout
  /// or an error); bytes after it are dropped. Plain connections only.
  std::string raw_until(std::string_view bytes, std::string_view delimiter);

  /// Sends `bytes` as they are; false on an error.
  bool send(std::string_view bytes);
  /// Reads one reply (after send()).
  Reply read_reply();
  /// Reads until `delimiter` has arrived and returns everything up to and including it (empty on
  /// a timeout or an error); later bytes stay for the next read.
  std::string read_until(std::string_view delimiter);
  /// Waits up to `timeout` for the server to close the connection, discarding what arrives;
  /// true when it closed (a FIN or a reset).
  bool wait_closed(std::chrono::milliseconds timeout);

  void close();

 private:
  template <class Stream>
  Reply read_reply(Stream& stream);
  /// Runs the io_context for up to `timeout`; false (and the connection closed) when the
  /// operations did not finish.
  bool run_for(std::chrono::milliseconds timeout);

  boost::asio::io_context io_;
  boost::asio::ip::tcp::socket socket_;
  std::unique_ptr<boost::asio::ssl::context> tls_context_;
  std::unique_ptr<boost::asio::ssl::stream<boost::asio::ip::tcp::socket&>> tls_;
  boost::beast::flat_buffer buffer_;
  std::chrono::milliseconds receive_timeout_;
  boost::system::error_code connect_error_;
};

/// The `data:` payloads of an event stream, in order (comments skipped).
std::vector<std::string> sse_data(std::string_view body);

}  // namespace opsgraph::testing
