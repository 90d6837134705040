#include "llm/http/transfer.hpp"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cctype>
#include <charconv>

#include "llm/http/curl_error.hpp"

namespace opsgraph::llm::http {

namespace asio = boost::asio;

namespace {

/// An answer that trying again would not fix (wrong type, too large).
Error unusable_answer(std::string message) {
  Error error = make_error(errc::bad_response, std::move(message));
  error.retryable = false;
  return error;
}

/// Error bodies are read for their message only; the rest of a huge one is dropped.
constexpr std::size_t kMaxErrorBodyBytes = 64u << 10;

/// The media type of a Content-Type value, lower-cased, without parameters.
std::string media_type(std::string_view content_type) {
  content_type = content_type.substr(0, content_type.find(';'));
  while (!content_type.empty() && content_type.back() == ' ')
    content_type.remove_suffix(1);
  std::string type(content_type);
  std::transform(type.begin(), type.end(), type.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return type;
}

/// The status of a status line ("HTTP/1.1 429 Too Many Requests", "HTTP/2 200"), or 0.
int parse_status_line(std::string_view line) {
  const auto space = line.find(' ');
  if (space == std::string_view::npos)
    return 0;
  int status = 0;
  const char* begin = line.data() + space + 1;
  std::from_chars(begin, line.data() + line.size(), status);
  return status;
}

/// Collects the first curl_easy_setopt failure.
class Options {
 public:
  explicit Options(CURL* easy) : easy_(easy) {}
  template <class T>
  Options& set(CURLoption option, T value) {
    if (code_ == CURLE_OK)
      code_ = curl_easy_setopt(easy_, option, value);
    return *this;
  }
  result<void> check() const {
    if (code_ != CURLE_OK)
      return curl_setup_error("curl_easy_setopt", curl_easy_strerror(code_));
    return ok();
  }

 private:
  CURL* easy_;
  CURLcode code_ = CURLE_OK;
};

constexpr long kReceiveBufferBytes = 4096;

}  // namespace

result<std::unique_ptr<Transfer>> Transfer::create(std::shared_ptr<CurlMulti> multi,
                                                   HttpRequest request, StreamSink sink) {
  CURL* easy = curl_easy_init();
  if (easy == nullptr)
    return curl_setup_error("curl_easy_init", "out of memory");
  std::unique_ptr<Transfer> transfer(new Transfer(std::move(multi), easy, std::move(sink)));
  OPSGRAPH_TRY(transfer->configure(std::move(request)));
  return transfer;
}

Transfer::Transfer(std::shared_ptr<CurlMulti> multi, CURL* easy, StreamSink sink)
    : multi_(std::move(multi)),
      easy_(easy),
      sink_(std::move(sink)),
      done_(multi_->strand(), std::chrono::steady_clock::time_point::max()) {}

Transfer::~Transfer() {
  if (in_multi_)
    multi_->remove(*this);
  curl_easy_cleanup(easy_);
  curl_slist_free_all(header_list_);
}

result<void> Transfer::configure(HttpRequest request) {
  request_body_ = std::move(request.body);
  display_url_ = request.display_url;
  max_body_bytes_ = request.max_body_bytes;
  stream_ = request.stream;

  std::vector<std::string> headers = request.headers;
  headers.emplace_back("Content-Type: application/json");
  headers.emplace_back(request.stream ? "Accept: text/event-stream, application/json"
                                      : "Accept: application/json");
  headers.emplace_back("Expect:");  // no 100-continue round trip before large prompts
  for (const std::string& header : headers) {
    curl_slist* extended = curl_slist_append(header_list_, header.c_str());
    if (extended == nullptr)
      return curl_setup_error("curl_slist_append", "out of memory");
    header_list_ = extended;
  }

  Options options(easy_);
  options.set(CURLOPT_PRIVATE, static_cast<void*>(this))
      .set(CURLOPT_URL, request.url.c_str())
      .set(CURLOPT_PROTOCOLS_STR, "http,https")
      .set(CURLOPT_POST, 1L)
      .set(CURLOPT_POSTFIELDS, request_body_.data())
      .set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request_body_.size()))
      .set(CURLOPT_HTTPHEADER, header_list_)
      .set(CURLOPT_USERAGENT, request.user_agent.c_str())
      .set(CURLOPT_NOSIGNAL, 1L)
      .set(CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout.count()))
      .set(CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(request.connect_timeout.count()))
      .set(CURLOPT_TCP_KEEPALIVE, 1L)
      // The receive buffer lives as long as the call. curl's 16 KiB default, times a thousand
      // calls in flight, was 16 MiB of an engine's memory; an answer larger than 4 KiB only
      // takes a few more reads.
      .set(CURLOPT_BUFFERSIZE, kReceiveBufferBytes)
      // Over TLS a second call waits to share the first one's connection if HTTP/2 gets
      // negotiated. Plain http is HTTP/1.1 only, and waiting there would hold every new call to a
      // fresh server behind the first answer, for as long as that takes.
      .set(CURLOPT_PIPEWAIT, request.url.starts_with("https://") ? 1L : 0L)
      .set(CURLOPT_ACCEPT_ENCODING, "")
      .set(CURLOPT_SSL_VERIFYPEER, request.verify_tls ? 1L : 0L)
      .set(CURLOPT_SSL_VERIFYHOST, request.verify_tls ? 2L : 0L)
      .set(CURLOPT_ERRORBUFFER, error_buffer_.data())
      .set(CURLOPT_HEADERFUNCTION, &Transfer::on_header)
      .set(CURLOPT_HEADERDATA, static_cast<void*>(this))
      .set(CURLOPT_WRITEFUNCTION, &Transfer::on_body)
      .set(CURLOPT_WRITEDATA, static_cast<void*>(this));
  if (!request.ca_file.empty())
    options.set(CURLOPT_CAINFO, request.ca_file.c_str());
  if (!request.ca_path.empty())
    options.set(CURLOPT_CAPATH, request.ca_path.c_str());
  return options.check();
}

Task<result<HttpResponse>> Transfer::run() {
  OPSGRAPH_CO_TRY(multi_->add(*this));
  in_multi_ = true;
  co_await done_.async_wait(asio::as_tuple(asio::use_awaitable));
  if (!result_) {
    // Woken by the awaiting coroutine's cancellation, not by curl.
    multi_->remove(*this);
    in_multi_ = false;
    co_return make_error(errc::cancelled,
                         "the call was cancelled; the request to " + display_url_ + " was aborted");
  }
  if (body_error_)
    co_return std::move(*body_error_);
  if (*result_ != CURLE_OK)
    co_return curl_error(*result_, error_buffer_.data(), display_url_);
  if (!body_checked_) {
    // A body-less answer never passed through on_body.
    if (auto error = check_success_body())
      co_return std::move(*error);
  }
  response_.streamed = to_sink_;
  co_return std::move(response_);
}

void Transfer::finish(CURLcode code) noexcept {
  in_multi_ = false;
  result_ = code;
  done_.cancel();
}

std::size_t Transfer::on_header(char* data, std::size_t size, std::size_t count, void* self) {
  auto* transfer = static_cast<Transfer*>(self);
  const std::string_view line(data, size * count);
  try {
    if (line.starts_with("HTTP/")) {
      // A new response (after 100 Continue or a proxy's CONNECT) replaces the previous one.
      transfer->response_.headers.clear();
      transfer->response_.status = parse_status_line(line);
    } else {
      transfer->response_.headers.add_line(line);
    }
  } catch (...) {
    return 0;  // out of memory: curl fails the transfer
  }
  return line.size();
}

std::size_t Transfer::on_body(char* data, std::size_t size, std::size_t count, void* self) {
  auto* transfer = static_cast<Transfer*>(self);
  const std::string_view bytes(data, size * count);
  try {
    return transfer->accept_body(bytes) ? bytes.size() : 0;
  } catch (...) {
    transfer->body_error_ = make_error(errc::internal, "out of memory reading the answer");
    return 0;
  }
}

std::optional<Error> Transfer::check_success_body() {
  body_checked_ = true;
  const int status = response_.status;
  if (status < 200 || status > 299)
    return std::nullopt;
  const std::string type = media_type(response_.headers.find("content-type").value_or(""));
  if (type == "text/event-stream" && stream_ && sink_) {
    to_sink_ = true;
    return std::nullopt;
  }
  if (type == "application/json")
    return std::nullopt;
  std::string message = "the LLM server (" + display_url_ + ") answered " + std::to_string(status) +
                        " with content type \"" + type.substr(0, 64) +
                        "\", expected application/json";
  if (stream_)
    message += " or text/event-stream";
  return unusable_answer(std::move(message));
}

bool Transfer::accept_body(std::string_view bytes) {
  if (!body_checked_) {
    if (auto error = check_success_body()) {
      body_error_ = std::move(error);
      return false;
    }
  }
  if (to_sink_) {
    streamed_ = true;
    if (auto fed = sink_(bytes); !fed) {
      body_error_ = std::move(fed).error();
      return false;
    }
    return true;
  }
  const bool success = response_.status >= 200 && response_.status <= 299;
  const std::size_t limit = success ? max_body_bytes_ : kMaxErrorBodyBytes;
  if (response_.body.size() + bytes.size() > limit) {
    if (!success)
      return true;  // the start of an error body says enough
    body_error_ = unusable_answer("the answer of the LLM server (" + display_url_ +
                                  ") is larger than max_response_bytes (" +
                                  std::to_string(max_body_bytes_) + ")");
    return false;
  }
  response_.body.append(bytes);
  return true;
}

}  // namespace opsgraph::llm::http
