// libcurl's result codes map through one funnel to errc, with retryability and a usable message.

#include "llm/http/curl_error.hpp"

#include <gtest/gtest.h>

namespace opsgraph::llm::http {
namespace {

constexpr std::string_view kUrl = "https://llm.example/v1/chat/completions";

TEST(CurlErrorTest, ConnectionFailuresAreUpstreamUnavailableAndRetryable) {
  for (CURLcode code : {CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_RECV_ERROR,
                        CURLE_SEND_ERROR, CURLE_GOT_NOTHING}) {
    const Error error = curl_error(code, "", kUrl);
    EXPECT_EQ(error.code, errc::upstream_unavailable) << code;
    EXPECT_TRUE(error.retryable) << code;
    EXPECT_NE(error.message.find(kUrl), std::string::npos) << error.message;
    EXPECT_EQ(error.details.find("curl_code")->as_double(), static_cast<double>(code));
  }
}

TEST(CurlErrorTest, AnAnswerCutShortIsARetryableBadResponse) {
  const Error error = curl_error(CURLE_PARTIAL_FILE, "", kUrl);
  EXPECT_EQ(error.code, errc::bad_response);
  EXPECT_TRUE(error.retryable);
  EXPECT_NE(error.message.find("cut short"), std::string::npos);
}

TEST(CurlErrorTest, TimeoutAndAbort) {
  const Error timeout =
      curl_error(CURLE_OPERATION_TIMEDOUT, "Operation timed out after 5 ms", kUrl);
  EXPECT_EQ(timeout.code, errc::timeout);
  EXPECT_TRUE(timeout.retryable);
  EXPECT_NE(timeout.message.find("Operation timed out after 5 ms"), std::string::npos);
  EXPECT_EQ(curl_error(CURLE_ABORTED_BY_CALLBACK, "", kUrl).code, errc::cancelled);
}

TEST(CurlErrorTest, CertificateFailuresSayHowToTrustAPrivateCa) {
  for (CURLcode code : {CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE}) {
    const Error error = curl_error(code, "SSL certificate problem: self-signed certificate", kUrl);
    EXPECT_EQ(error.code, errc::upstream_unavailable);
    EXPECT_FALSE(error.retryable);
    EXPECT_NE(error.message.find("certificate could not be verified"), std::string::npos);
    EXPECT_NE(error.message.find("ca_file"), std::string::npos);
  }
}

TEST(CurlErrorTest, BadUrlIsInvalidArgument) {
  EXPECT_EQ(curl_error(CURLE_URL_MALFORMAT, "", kUrl).code, errc::invalid_argument);
  EXPECT_EQ(curl_error(CURLE_UNSUPPORTED_PROTOCOL, "", kUrl).code, errc::invalid_argument);
}

}  // namespace
}  // namespace opsgraph::llm::http
