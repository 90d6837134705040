#pragma once
// TestClient — a blocking HTTP/1.1 client (Beast) for the mock server's tests: one connection,
// kept alive across requests, plain or TLS, with a timeout per request so that no test can hang.
// Replies keep whatever arrived before an error, so tests can look at truncated answers.
// Not thread-safe.

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

namespace opsgraph::mock::testing {

struct ClientOptions {
  /// Speak TLS, verifying the server against `ca_file` (empty: trust nothing but defaults).
  bool tls = false;
  std::string ca_file;
  /// How long one request may take before it fails with timed_out (and the connection closes).
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

class TestClient {
 public:
  TestClient(std::uint16_t port, ClientOptions options);
  explicit TestClient(std::uint16_t port) : TestClient(port, ClientOptions{}) {}
  ~TestClient();

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
  /// or an error); bytes after it are dropped.
  std::string raw_until(std::string_view bytes, std::string_view delimiter);

  void close();

 private:
  template <class Stream>
  Reply exchange(Stream& stream, std::string_view bytes);

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

/// A chat-completions request body: `model` and one user message, plus `extra` members.
std::string chat_body(std::string_view model, std::string_view user,
                      const json::Object& extra = {});

}  // namespace opsgraph::mock::testing
