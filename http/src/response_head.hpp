#pragma once
// The bytes before a response's body: status line, the server's own headers and the handler's.
// Written into a caller's string so that a connection reuses one buffer for all its answers.
// Internal.

#include <cstddef>
#include <opsgraph/http/server.hpp>
#include <string>
#include <string_view>

namespace opsgraph::http::detail {

/// How the end of the body is found.
enum class Framing {
  length,       ///< Content-Length.
  chunked,      ///< Transfer-Encoding: chunked.
  until_close,  ///< Neither: the body ends when the connection closes (HTTP/1.0 streams).
};

struct Head {
  int status = 200;
  std::string_view content_type;
  const Headers* headers = nullptr;
  Framing framing = Framing::length;
  std::size_t content_length = 0;
  /// Connection: close. Otherwise HTTP/1.0 peers get Connection: keep-alive.
  bool close = false;
  bool http10 = false;
};

/// Appends the head (ending with the blank line) to `out`. Headers the server owns
/// (Content-Length, Transfer-Encoding, Connection, Server, Date) and values with CR or LF in
/// them are left out of the handler's headers.
void append_head(std::string& out, std::string_view server_name, const Head& head);

/// An RFC 9457 problem: application/problem+json
/// {"type":"about:blank","title":<reason>,"status":<status>,"detail":<detail>}.
Response problem_response(int status, std::string_view detail);

/// The current time as an HTTP date ("Thu, 26 Nov 2026 16:00:00 GMT"), formatted at most once
/// per second per thread.
std::string_view http_date();

}  // namespace opsgraph::http::detail
