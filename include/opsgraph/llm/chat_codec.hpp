#pragma once
// The JSON shapes of the chat types of <opsgraph/llm/chat.hpp>, as json::Schema specialisations:
// json::encode / json::decode / json::to_value / json::from_value work on Message, ChatRequest,
// ChatResponse and the rest. This is opsgraph's own format (cassettes, the C ABI), close to
// OpenAI's but complete: ChatRequest keeps its metadata and its timeout (as "timeout_ms"), and
// ChatResponse its latency (as "latency_ms") and attempts. The upstream wire format is not this:
// metadata and timeouts never leave the process. Declarations only; thread-safe.

#include <chrono>
#include <cstdint>
#include <opsgraph/core/json_codec.hpp>
#include <opsgraph/llm/chat.hpp>
#include <optional>
#include <tuple>

namespace opsgraph::json {

template <>
struct Schema<llm::Role> {
  static constexpr auto names = enum_names<llm::Role>({{llm::Role::system, "system"},
                                                       {llm::Role::user, "user"},
                                                       {llm::Role::assistant, "assistant"},
                                                       {llm::Role::tool, "tool"}});
};

template <>
struct Schema<llm::ResponseFormatType> {
  static constexpr auto names =
      enum_names<llm::ResponseFormatType>({{llm::ResponseFormatType::text, "text"},
                                           {llm::ResponseFormatType::json_object, "json_object"},
                                           {llm::ResponseFormatType::json_schema, "json_schema"}});
};

template <>
struct Schema<llm::Message> {
  static constexpr auto fields =
      std::make_tuple(field("role", &llm::Message::role), field("content", &llm::Message::content),
                      optional_field("tool_call_id", &llm::Message::tool_call_id));
};

template <>
struct Schema<llm::ResponseFormat> {
  static constexpr auto fields = std::make_tuple(
      field("type", &llm::ResponseFormat::type), optional_field("name", &llm::ResponseFormat::name),
      optional_field("schema", &llm::ResponseFormat::schema),
      optional_field("strict", &llm::ResponseFormat::strict));
};

/// A duration as a whole number of milliseconds.
template <>
struct Codec<std::chrono::milliseconds> {
  template <class Sink>
  static void write(Sink& sink, std::chrono::milliseconds value) {
    sink.integer(static_cast<std::int64_t>(value.count()));
  }
  template <class Source>
  static result<void> read(Source& source, std::chrono::milliseconds& out) {
    std::int64_t count = 0;
    OPSGRAPH_TRY(Codec<std::int64_t>::read(source, count));
    out = std::chrono::milliseconds(count);
    return ok();
  }
};

template <>
struct Schema<llm::ChatRequest> {
  static constexpr auto fields =
      std::make_tuple(optional_field("model", &llm::ChatRequest::model),
                      field("messages", &llm::ChatRequest::messages),
                      optional_field("temperature", &llm::ChatRequest::temperature),
                      optional_field("top_p", &llm::ChatRequest::top_p),
                      optional_field("max_tokens", &llm::ChatRequest::max_tokens),
                      optional_field("seed", &llm::ChatRequest::seed),
                      optional_field("stop", &llm::ChatRequest::stop),
                      optional_field("response_format", &llm::ChatRequest::response_format),
                      optional_field("stream", &llm::ChatRequest::stream),
                      optional_field("timeout_ms", &llm::ChatRequest::timeout),
                      optional_field("metadata", &llm::ChatRequest::metadata));
};

/// Every count may be absent (servers that report no usage): it then stays zero.
template <>
struct Schema<llm::Usage> {
  static constexpr auto fields =
      std::make_tuple(optional_field("prompt_tokens", &llm::Usage::prompt_tokens),
                      optional_field("completion_tokens", &llm::Usage::completion_tokens),
                      optional_field("total_tokens", &llm::Usage::total_tokens));
};

template <>
struct Schema<llm::ChatResponse> {
  static constexpr auto fields =
      std::make_tuple(field("content", &llm::ChatResponse::content),
                      optional_field("finish_reason", &llm::ChatResponse::finish_reason),
                      optional_field("usage", &llm::ChatResponse::usage),
                      optional_field("model", &llm::ChatResponse::model),
                      optional_field("id", &llm::ChatResponse::id),
                      optional_field("latency_ms", &llm::ChatResponse::latency),
                      optional_field("attempts", &llm::ChatResponse::attempts));
};

}  // namespace opsgraph::json
