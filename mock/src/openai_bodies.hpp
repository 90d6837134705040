#pragma once
// The JSON bodies the mock answers with, in OpenAI's shapes: chat.completion, the
// chat.completion.chunk events of a stream, the model list and error objects. Internal.

#include <cstdint>
#include <opsgraph/core/json_value.hpp>
#include <opsgraph/llm/chat.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace opsgraph::mock::detail {

/// One answer, before it is written as a whole or as a stream.
struct Answer {
  std::string id;
  std::string model;
  std::int64_t created = 0;
  std::string content;
  std::string finish_reason = "stop";
  llm::Usage usage;
};

/// A `chat.completion` object.
std::string completion_body(const Answer& answer);

/// The whole event stream, one element per write: a role-only first delta, the content in several
/// deltas (split on UTF-8 boundaries) with a `: keep-alive` comment after the first, a chunk with
/// the finish_reason, a usage chunk with empty choices when `include_usage`, and `data: [DONE]`.
std::vector<std::string> stream_events(const Answer& answer, bool include_usage);

/// `{"error": {"message", "type", "param": null, "code"}}`; a null `code` is written as null.
std::string error_body(std::string_view message, std::string_view type, const json::Value& code);

/// The `GET /v1/models` list.
std::string models_body(const std::vector<std::string>& models, std::int64_t created);

}  // namespace opsgraph::mock::detail
