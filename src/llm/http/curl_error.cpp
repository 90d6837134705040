#include "llm/http/curl_error.hpp"

#include <string>

namespace opsgraph::llm::http {
namespace {

Error transfer_error(errc code, bool retryable, std::string message, CURLcode curl_code) {
  json::Value details;
  details.set("curl_code", static_cast<int>(curl_code));
  Error error = make_error(code, std::move(message), std::move(details));
  error.retryable = retryable;
  return error;
}

std::string describe(std::string_view what, std::string_view url, std::string_view detail) {
  std::string message(what);
  message += " (";
  message += url;
  message += ")";
  if (!detail.empty()) {
    message += ": ";
    message += detail;
  }
  return message;
}

}  // namespace

Error curl_error(CURLcode code, std::string_view detail, std::string_view url) {
  if (detail.empty())
    detail = curl_easy_strerror(code);
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
      return transfer_error(errc::upstream_unavailable, true,
                            describe("could not connect to the LLM server", url, detail), code);
    case CURLE_OPERATION_TIMEDOUT:
      return transfer_error(errc::timeout, true,
                            describe("the LLM server did not answer in time", url, detail), code);
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return transfer_error(errc::upstream_unavailable, true,
                            describe("the connection to the LLM server broke", url, detail), code);
    case CURLE_PARTIAL_FILE:
      return transfer_error(errc::bad_response, true,
                            describe("the LLM server's answer was cut short", url, detail), code);
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
      return transfer_error(
          errc::upstream_unavailable, false,
          describe("the LLM server's TLS certificate could not be verified; to trust a "
                   "private CA, set OpenAIConfig::ca_file (a PEM file) or ca_path",
                   url, detail),
          code);
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_USE_SSL_FAILED:
      return transfer_error(errc::upstream_unavailable, false,
                            describe("the TLS handshake with the LLM server failed", url, detail),
                            code);
    case CURLE_ABORTED_BY_CALLBACK:
      return transfer_error(errc::cancelled, false, describe("the call was cancelled", url, detail),
                            code);
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
      return transfer_error(errc::invalid_argument, false,
                            describe("the LLM server's URL is not usable", url, detail), code);
    case CURLE_OUT_OF_MEMORY:
      return transfer_error(errc::internal, false, describe("out of memory", url, detail), code);
    default:
      return transfer_error(errc::upstream_unavailable, false,
                            describe("the request to the LLM server failed", url, detail), code);
  }
}

Error curl_setup_error(std::string_view what, std::string_view curl_message) {
  std::string message = "libcurl: ";
  message += what;
  message += " failed: ";
  message += curl_message;
  return make_error(errc::internal, std::move(message));
}

}  // namespace opsgraph::llm::http
