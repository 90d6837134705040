#pragma once
// Endpoint — where and how a provider's requests go, worked out once from an OpenAIConfig: the
// chat-completions URL (with Azure's api-version), the URL as logs may show it, and the request
// headers with the resolved API key. Immutable once made; safe to share between threads.
// Private to src/llm/http; exported only so that the unit tests can reach it.

#include <opsgraph/core/result.hpp>
#include <opsgraph/export.hpp>
#include <opsgraph/llm/openai.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace opsgraph::llm::http {

struct Endpoint {
  std::string url;
  /// `url` without credentials or query: what logs and errors show.
  std::string display_url;
  /// "Name: value" lines, including the key. Never logged.
  std::vector<std::string> headers;
  bool has_key = false;
};

/// The endpoint of a validated `config`; the key falls back to OPENAI_API_KEY from the
/// environment. invalid_argument when curl cannot parse the URL.
OPSGRAPH_API result<Endpoint> make_endpoint(const OpenAIConfig& config);

/// `url` with any "user:password@" and everything from '?' or '#' removed.
OPSGRAPH_API std::string url_for_display(std::string_view url);

}  // namespace opsgraph::llm::http
