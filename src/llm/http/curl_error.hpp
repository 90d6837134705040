#pragma once
// The one place where libcurl's result codes become opsgraph Errors.
// Private to src/llm/http; exported only so that the unit tests can reach it.

#include <curl/curl.h>

#include <opsgraph/core/error.hpp>
#include <opsgraph/export.hpp>
#include <string_view>

namespace opsgraph::llm::http {

/// The Error for a transfer that ended with `code`. `detail` is curl's error buffer (may be
/// empty) and `url` names the endpoint (already free of credentials). The Error is retryable
/// when trying again may help: refused or reset connections, timeouts of one attempt, answers
/// cut short (bad_response). Certificate failures say how to trust a private CA.
OPSGRAPH_API Error curl_error(CURLcode code, std::string_view detail, std::string_view url);

/// The Error for a failing curl_easy_setopt / curl_multi_* call: always internal.
Error curl_setup_error(std::string_view what, std::string_view curl_message);

}  // namespace opsgraph::llm::http
