#pragma once
// Secret redaction for text that leaves opsgraph's control (cassettes, quoted server messages):
// API keys (sk-…, sk-proj-…), bearer tokens, "api-key: …" values and AWS access key ids become
// "[REDACTED]". Stateless; thread-safe. Private to src/llm; exported only so that the unit tests
// can reach it.

#include <opsgraph/export.hpp>
#include <string>
#include <string_view>

namespace opsgraph::llm {

/// `text` with every secret-looking token replaced by "[REDACTED]"; the words that introduce a
/// secret ("Bearer ", "api-key: ") are kept so a reader sees what was there.
OPSGRAPH_API std::string redact_secrets(std::string_view text);

}  // namespace opsgraph::llm
