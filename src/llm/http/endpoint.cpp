#include "llm/http/endpoint.hpp"

#include <curl/curl.h>

#include <cstdlib>
#include <memory>

#include "llm/http/curl_multi.hpp"

namespace opsgraph::llm::http {
namespace {

struct UrlDeleter {
  void operator()(CURLU* url) const noexcept { curl_url_cleanup(url); }
};
struct CurlStringDeleter {
  void operator()(char* text) const noexcept { curl_free(text); }
};

std::string resolve_key(const OpenAIConfig& config) {
  if (!config.api_key.empty())
    return config.api_key;
  const char* from_env = std::getenv("OPENAI_API_KEY");
  return from_env != nullptr ? std::string(from_env) : std::string();
}

result<std::string> chat_completions_url(const OpenAIConfig& config) {
  const std::unique_ptr<CURLU, UrlDeleter> url(curl_url());
  if (!url)
    return fail(errc::internal, "libcurl: curl_url failed: out of memory");
  const auto invalid = [&config] {
    return fail(errc::invalid_argument, "OpenAIConfig.base_url is not a usable URL: \"" +
                                            url_for_display(config.base_url) + "\"");
  };
  if (curl_url_set(url.get(), CURLUPART_URL, config.base_url.c_str(), 0) != CURLUE_OK)
    return invalid();
  char* raw_path = nullptr;
  if (curl_url_get(url.get(), CURLUPART_PATH, &raw_path, 0) != CURLUE_OK)
    return invalid();
  std::string path = std::unique_ptr<char, CurlStringDeleter>(raw_path).get();
  while (!path.empty() && path.back() == '/')
    path.pop_back();
  path += "/chat/completions";
  if (curl_url_set(url.get(), CURLUPART_PATH, path.c_str(), 0) != CURLUE_OK)
    return invalid();
  if (!config.api_version.empty()) {
    const std::string query = "api-version=" + config.api_version;
    if (curl_url_set(url.get(), CURLUPART_QUERY, query.c_str(),
                     CURLU_APPENDQUERY | CURLU_URLENCODE) != CURLUE_OK) {
      return fail(errc::invalid_argument, "OpenAIConfig.api_version is not usable in a URL");
    }
  }
  char* full = nullptr;
  if (curl_url_get(url.get(), CURLUPART_URL, &full, 0) != CURLUE_OK)
    return invalid();
  return std::string(std::unique_ptr<char, CurlStringDeleter>(full).get());
}

}  // namespace

std::string url_for_display(std::string_view url) {
  url = url.substr(0, url.find_first_of("?#"));
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos)
    return std::string(url);
  const auto authority = scheme_end + 3;
  const auto authority_end = url.find('/', authority);
  const auto at = url.substr(0, authority_end).rfind('@');
  if (at == std::string_view::npos || at < authority)
    return std::string(url);
  std::string shown(url.substr(0, authority));
  shown += url.substr(at + 1);
  return shown;
}

result<Endpoint> make_endpoint(const OpenAIConfig& config) {
  OPSGRAPH_TRY(ensure_curl_initialised());
  auto url = chat_completions_url(config);
  if (!url)
    return std::move(url).error();
  Endpoint endpoint;
  endpoint.url = std::move(url).value();
  endpoint.display_url = url_for_display(endpoint.url);
  const std::string key = resolve_key(config);
  if (key.find_first_of("\r\n") != std::string::npos) {
    // Never quoted: the key itself must not reach an error message.
    return fail(errc::invalid_argument,
                "the API key (OpenAIConfig.api_key or OPENAI_API_KEY) contains a line break");
  }
  endpoint.has_key = !key.empty();
  if (endpoint.has_key) {
    // Azure OpenAI (recognised by its api-version) takes the key in its own header.
    endpoint.headers.push_back(config.api_version.empty() ? "Authorization: Bearer " + key
                                                          : "api-key: " + key);
  }
  if (!config.organization.empty())
    endpoint.headers.push_back("OpenAI-Organization: " + config.organization);
  if (!config.project.empty())
    endpoint.headers.push_back("OpenAI-Project: " + config.project);
  return endpoint;
}

}  // namespace opsgraph::llm::http
