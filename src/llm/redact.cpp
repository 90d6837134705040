// Secret redaction with RE2: linear-time patterns, so hostile text cannot make it slow.

#include "llm/redact.hpp"

#include <re2/re2.h>

#include <array>
#include <string>
#include <string_view>

namespace opsgraph::llm {

namespace {

// Each pattern keeps what introduces the secret in group 1 (possibly empty) and replaces the rest.
struct SecretPattern {
  const char* regex;
  const char* replacement;
};

constexpr std::array<SecretPattern, 4> kPatterns{{
    // OpenAI-style keys: sk-…, sk-proj-…, sk-ant-… (never shorter than 16 characters).
    {R"(()\bsk-[A-Za-z0-9_\-]{16,})", R"(\1[REDACTED])"},
    // Authorization: Bearer <token>
    {R"((?i)(\bbearer\s+)[A-Za-z0-9._~+/=\-]{8,})", R"(\1[REDACTED])"},
    // api-key: <key>, "api_key": "<key>", x-api-key=<key>
    {R"((?i)(\b(?:x-)?api[-_]?key["']?\s*[:=]\s*["']?)[A-Za-z0-9._~+/=\-]{8,})", R"(\1[REDACTED])"},
    // AWS access key ids.
    {R"(()\b(?:AKIA|ASIA)[A-Z0-9]{16}\b)", R"(\1[REDACTED])"},
}};

const std::array<RE2, kPatterns.size()>& compiled() {
  static const auto patterns = [] {
    return std::array<RE2, kPatterns.size()>{RE2(kPatterns[0].regex), RE2(kPatterns[1].regex),
                                             RE2(kPatterns[2].regex), RE2(kPatterns[3].regex)};
  }();
  return patterns;
}

}  // namespace

std::string redact_secrets(std::string_view text) {
  std::string out(text);
  const auto& patterns = compiled();
  for (std::size_t i = 0; i < patterns.size(); ++i)
    RE2::GlobalReplace(&out, patterns[i], kPatterns[i].replacement);
  return out;
}

}  // namespace opsgraph::llm
