#pragma once
// Transfer — one HTTP POST through a CurlMulti: an easy handle configured from an HttpRequest,
// the response's status, headers and body captured as they arrive, and a body sink for streamed
// answers. run() awaits the end of the transfer; cancelling the awaiting coroutine removes the
// handle from the multi at once.
//
// Not thread-safe: create, run and destroy it on the multi's strand. It owns its easy handle.

#include <curl/curl.h>

#include <array>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <opsgraph/core/result.hpp>
#include <opsgraph/core/task.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "llm/http/curl_multi.hpp"
#include "llm/http/response_headers.hpp"

namespace opsgraph::llm::http {

/// What one attempt sends. Header values may hold secrets: they are handed to curl and never
/// logged or copied into errors.
struct HttpRequest {
  std::string url{};
  /// Logged and quoted in errors instead of `url` (no credentials, no query secrets).
  std::string display_url{};
  std::vector<std::string> headers{};  // "Name: value"
  std::string body{};
  std::chrono::milliseconds timeout{0};
  std::chrono::milliseconds connect_timeout{0};
  bool verify_tls = true;
  std::string ca_file{};
  std::string ca_path{};
  std::string user_agent{};
  /// A 2xx body larger than this ends the transfer with bad_response.
  std::size_t max_body_bytes = 16u << 20;
  /// Streamed answers (text/event-stream) go to the sink given to Transfer::create.
  bool stream = false;
};

/// What came back. `body` is empty when a 2xx stream went to the sink.
struct HttpResponse {
  int status = 0;
  ResponseHeaders headers{};
  std::string body{};
  /// The 2xx body was a stream and went to the sink.
  bool streamed = false;
};

class Transfer {
 public:
  /// Receives each piece of a streamed 2xx body; an error ends the transfer with that error.
  using StreamSink = std::function<result<void>(std::string_view bytes)>;

  static result<std::unique_ptr<Transfer>> create(std::shared_ptr<CurlMulti> multi,
                                                  HttpRequest request, StreamSink sink);
  ~Transfer();
  Transfer(const Transfer&) = delete;
  Transfer& operator=(const Transfer&) = delete;

  /// Performs the request. Fails with the transfer's error (see curl_error), bad_response for a
  /// 2xx of the wrong content type or size, or cancelled; any HTTP status is a success here.
  Task<result<HttpResponse>> run();

  /// Whether any streamed bytes reached the sink (a retry would repeat them).
  bool streamed() const noexcept { return streamed_; }

  // For CurlMulti.
  CURL* easy() const noexcept { return easy_; }
  void finish(CURLcode code) noexcept;

 private:
  Transfer(std::shared_ptr<CurlMulti> multi, CURL* easy, StreamSink sink);

  result<void> configure(HttpRequest request);
  static std::size_t on_header(char* data, std::size_t size, std::size_t count, void* self);
  static std::size_t on_body(char* data, std::size_t size, std::size_t count, void* self);
  /// Decides, at the first body byte, where a 2xx body goes; an Error rejects it.
  std::optional<Error> check_success_body();
  bool accept_body(std::string_view bytes);

  std::shared_ptr<CurlMulti> multi_;
  CURL* easy_;
  curl_slist* header_list_ = nullptr;
  StreamSink sink_;
  std::string request_body_;
  std::string display_url_;
  std::size_t max_body_bytes_ = 0;
  bool stream_ = false;

  HttpResponse response_;
  bool body_checked_ = false;
  bool to_sink_ = false;
  bool streamed_ = false;
  std::optional<Error> body_error_;
  std::array<char, CURL_ERROR_SIZE> error_buffer_{};

  boost::asio::steady_timer done_;
  bool in_multi_ = false;
  std::optional<CURLcode> result_;
};

}  // namespace opsgraph::llm::http
