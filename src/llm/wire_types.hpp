#pragma once
// The members opsgraph reads from chat.completion answers and chat.completion.chunk events, as
// json::Schema structs so that decoding is one simdjson ondemand pass with JSON paths in its
// errors. Everything else a server sends is skipped. Private to src/llm.

#include <cstdint>
#include <opsgraph/core/json_codec.hpp>
#include <opsgraph/llm/chat.hpp>
#include <opsgraph/llm/chat_codec.hpp>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

namespace opsgraph::llm::wire {

// choices[i].message of an answer, or choices[i].delta of a chunk.
struct WireMessage {
  std::optional<std::string> content;
  std::optional<std::string> refusal;
};

struct WireChoice {
  std::int64_t index = 0;
  std::optional<WireMessage> message;  // answers
  std::optional<WireMessage> delta;    // chunks
  std::optional<std::string> finish_reason;
};

// An answer or a chunk: they differ only in message/delta. `error` is set by servers that put an
// error object in a 2xx body or in the stream.
struct WireCompletion {
  std::optional<std::string> id;
  std::optional<std::string> model;
  std::optional<std::string> object;  // "error" in vLLM's top-level error bodies
  std::optional<std::vector<WireChoice>> choices;
  std::optional<Usage> usage;
  std::optional<json::Value> error;
};

}  // namespace opsgraph::llm::wire

template <>
struct opsgraph::json::Schema<opsgraph::llm::wire::WireMessage> {
  using M = llm::wire::WireMessage;
  static constexpr auto fields = std::make_tuple(optional_field("content", &M::content),
                                                 optional_field("refusal", &M::refusal));
};

template <>
struct opsgraph::json::Schema<opsgraph::llm::wire::WireChoice> {
  using C = llm::wire::WireChoice;
  static constexpr auto fields = std::make_tuple(
      optional_field("index", &C::index), optional_field("message", &C::message),
      optional_field("delta", &C::delta), optional_field("finish_reason", &C::finish_reason));
};

template <>
struct opsgraph::json::Schema<opsgraph::llm::wire::WireCompletion> {
  using W = llm::wire::WireCompletion;
  static constexpr auto fields =
      std::make_tuple(optional_field("id", &W::id), optional_field("model", &W::model),
                      optional_field("object", &W::object), optional_field("choices", &W::choices),
                      optional_field("usage", &W::usage), optional_field("error", &W::error));
};
