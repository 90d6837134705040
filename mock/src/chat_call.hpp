#pragma once
// ChatCall — what the mock needs from an OpenAI chat-completions request body, read leniently
// where OpenAI is lenient (content as a string or as text parts) and strictly where a real server
// answers 400. Internal to the mock server.

#include <cstdint>
#include <opsgraph/core/json_value.hpp>
#include <opsgraph/core/result.hpp>
#include <string>
#include <string_view>

namespace opsgraph::mock::detail {

enum class AnswerFormat { text, json_object, json_schema };

struct ChatCall {
  std::string model;
  std::string system_message;
  std::string last_user_message;
  /// Bytes of every message's text, for the prompt-token estimate.
  std::size_t prompt_bytes = 0;
  std::size_t message_count = 0;
  bool stream = false;
  bool include_usage = false;
  AnswerFormat format = AnswerFormat::text;
  /// For json_schema: the schema (null when the request gave none).
  json::Value schema;
};

/// Reads a request body; invalid_argument with the message a 400 carries.
result<ChatCall> read_chat_call(std::string_view body);

/// OpenAI-style token estimate: about four bytes of text per token, at least one.
std::int64_t estimate_tokens(std::size_t bytes) noexcept;

}  // namespace opsgraph::mock::detail
