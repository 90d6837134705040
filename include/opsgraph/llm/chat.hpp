#pragma once
// The data of one LLM call: opsgraph::llm::ChatRequest in, ChatResponse out. Plain value types in
// the vocabulary of OpenAI's chat-completions API, which every provider of opsgraph speaks or
// translates to. No synchronisation of their own.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <opsgraph/core/json_value.hpp>
#include <optional>
#include <string>
#include <vector>

namespace opsgraph::llm {

/// Who wrote a message.
enum class Role { system, user, assistant, tool };

/// One message of the conversation.
struct Message {
  Role role = Role::user;
  std::string content;
  /// For role tool: the id of the tool call this message answers.
  std::optional<std::string> tool_call_id;

  friend bool operator==(const Message&, const Message&) = default;
};

/// The shape the answer must take.
enum class ResponseFormatType {
  text,         ///< Free text.
  json_object,  ///< Any JSON object.
  json_schema,  ///< A JSON value valid against `schema`.
};

struct ResponseFormat {
  ResponseFormatType type = ResponseFormatType::text;
  /// For json_schema: the schema's name (letters, digits, '_' and '-'), sent to the server.
  std::string name;
  /// For json_schema: the JSON schema the content must satisfy. Shared and never changed, so that
  /// the requests of one agent all point at one copy: a schema is large, a request is built per
  /// call. Null means no schema (the same as a null JSON value).
  std::shared_ptr<const json::Value> schema;
  /// For json_schema: ask the server to enforce the schema strictly.
  bool strict = true;

  /// The schema, or a null value when there is none.
  const json::Value& schema_value() const noexcept {
    static const json::Value kNone;
    return schema ? *schema : kNone;
  }

  /// Equal when they ask for the same: schemas compare by content.
  friend bool operator==(const ResponseFormat& a, const ResponseFormat& b) {
    return a.type == b.type && a.name == b.name && a.strict == b.strict &&
           a.schema_value() == b.schema_value();
  }
};

/// One chat-completion request. Unset optionals are not sent, so the server's defaults apply.
struct ChatRequest {
  /// Empty means the provider's configured default model.
  std::string model;
  std::vector<Message> messages;
  std::optional<double> temperature;
  std::optional<double> top_p;
  std::optional<std::int64_t> max_tokens;
  std::optional<std::int64_t> seed;
  std::vector<std::string> stop;
  ResponseFormat response_format;
  /// Ask for server-sent events; the final ChatResponse is the same either way, and deltas go to
  /// CallHooks::on_delta as they arrive.
  bool stream = false;
  /// Total time allowed for the call, retries included; unset means the provider's default.
  std::optional<std::chrono::milliseconds> timeout;
  /// Tracing labels (task id, node, agent) for logs, events and cassettes; never sent upstream.
  std::map<std::string, std::string> metadata;

  friend bool operator==(const ChatRequest&, const ChatRequest&) = default;
};

/// Tokens billed for a call, as the server reported them (zero when it reported none).
struct Usage {
  std::int64_t prompt_tokens = 0;
  std::int64_t completion_tokens = 0;
  std::int64_t total_tokens = 0;

  friend bool operator==(const Usage&, const Usage&) = default;
};

/// A successful answer.
struct ChatResponse {
  std::string content;
  /// As the server said it: "stop", "length", "content_filter", "tool_calls", ...
  std::string finish_reason;
  Usage usage;
  /// The model that answered, which may differ from the one asked for (aliases, deployments).
  std::string model;
  /// The server's response id.
  std::string id;
  /// From the first attempt's start to the answer, retry delays included.
  std::chrono::milliseconds latency{0};
  /// How many HTTP attempts the call took (1 when the first one answered).
  int attempts = 1;

  friend bool operator==(const ChatResponse&, const ChatResponse&) = default;
};

}  // namespace opsgraph::llm
