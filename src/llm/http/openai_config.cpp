// validate() and to_string() of the public OpenAIConfig.

#include <opsgraph/llm/openai.hpp>
#include <string_view>

#include "llm/http/endpoint.hpp"

namespace opsgraph::llm {
namespace {

bool starts_with_scheme(std::string_view url, std::string_view scheme) {
  if (url.size() < scheme.size())
    return false;
  for (std::size_t i = 0; i < scheme.size(); ++i) {
    const char c = url[i];
    if ((c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c) != scheme[i])
      return false;
  }
  return true;
}

bool has_line_break(std::string_view text) {
  return text.find_first_of("\r\n") != std::string_view::npos;
}

result<void> invalid(std::string_view field, std::string_view problem) {
  std::string message = "OpenAIConfig.";
  message += field;
  message += ' ';
  message += problem;
  return fail(errc::invalid_argument, std::move(message), json::Object{{"field", field}});
}

std::string millis(std::chrono::milliseconds d) {
  return std::to_string(d.count()) + "ms";
}

}  // namespace

result<void> validate(const OpenAIConfig& config) {
  if (!starts_with_scheme(config.base_url, "http://") &&
      !starts_with_scheme(config.base_url, "https://")) {
    return invalid("base_url", "must start with http:// or https://");
  }
  if (config.connect_timeout.count() <= 0)
    return invalid("connect_timeout", "must be positive");
  if (config.attempt_timeout.count() <= 0)
    return invalid("attempt_timeout", "must be positive");
  if (config.total_timeout.count() <= 0)
    return invalid("total_timeout", "must be positive");
  if (config.max_concurrent < 1)
    return invalid("max_concurrent", "must be at least 1");
  if (config.requests_per_minute < 0)
    return invalid("requests_per_minute", "must not be negative (0 means no limit)");
  if (config.tokens_per_minute < 0)
    return invalid("tokens_per_minute", "must not be negative (0 means no limit)");
  if (config.retry.max_attempts < 1)
    return invalid("retry.max_attempts", "must be at least 1");
  if (config.retry.base_delay.count() < 0)
    return invalid("retry.base_delay", "must not be negative");
  if (config.retry.max_delay.count() < 0)
    return invalid("retry.max_delay", "must not be negative");
  if (config.max_response_bytes == 0)
    return invalid("max_response_bytes", "must be positive");
  if (has_line_break(config.api_key))
    return invalid("api_key", "contains a line break");
  if (has_line_break(config.organization))
    return invalid("organization", "contains a line break");
  if (has_line_break(config.project))
    return invalid("project", "contains a line break");
  if (has_line_break(config.user_agent))
    return invalid("user_agent", "contains a line break");
  return ok();
}

std::string to_string(const OpenAIConfig& config) {
  std::string out = "OpenAIConfig{base_url=" + http::url_for_display(config.base_url);
  out += " model=" + config.model;
  out += config.api_key.empty() ? " api_key=<none>" : " api_key=<set>";
  if (!config.organization.empty())
    out += " organization=" + config.organization;
  if (!config.project.empty())
    out += " project=" + config.project;
  if (!config.api_version.empty())
    out += " api_version=" + config.api_version;
  out += " connect_timeout=" + millis(config.connect_timeout);
  out += " attempt_timeout=" + millis(config.attempt_timeout);
  out += " total_timeout=" + millis(config.total_timeout);
  out += " max_concurrent=" + std::to_string(config.max_concurrent);
  out += " requests_per_minute=" + std::to_string(config.requests_per_minute);
  out += " tokens_per_minute=" + std::to_string(config.tokens_per_minute);
  out += " retry.max_attempts=" + std::to_string(config.retry.max_attempts);
  out += " retry.base_delay=" + millis(config.retry.base_delay);
  out += " retry.max_delay=" + millis(config.retry.max_delay);
  out += config.verify_tls ? " verify_tls=true" : " verify_tls=false";
  if (!config.ca_file.empty())
    out += " ca_file=" + config.ca_file;
  if (!config.ca_path.empty())
    out += " ca_path=" + config.ca_path;
  out += " user_agent=" + config.user_agent;
  out += " max_response_bytes=" + std::to_string(config.max_response_bytes);
  out += '}';
  return out;
}

}  // namespace opsgraph::llm
