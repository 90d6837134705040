#pragma once
// The members opsgraph reads from chat.completion answers and chat.completion.chunk events, as
// json::Schema structs so that decoding is one simdjson ondemand pass with JSON paths in its
// errors. Everything else a server sends is skipped. Private to src/llm.

#include <cstddef>
#include <cstdint>
#include <opsgraph/core/json_codec.hpp>
#include <opsgraph/llm/chat.hpp>
#include <opsgraph/llm/chat_codec.hpp>
#include <optional>
#include <string>
#include <string_view>
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

/// Which of the two documents is read: an answer's choices carry "message", a chunk's "delta".
enum class Shape { answer, chunk };

/// What an answer or a chunk says, whichever decoder read it. The views point into the decoder's
/// storage (the thread's parser for the fast path, a WireCompletion for the typed one).
struct CompletionView {
  std::string_view id;
  std::string_view model;
  /// A choice with index 0 (or, failing that, the first choice) was present.
  bool has_choice = false;
  /// That choice's message.content / delta.content; nullopt when absent or null.
  std::optional<std::string_view> content;
  /// That choice's finish_reason; nullopt when absent or null.
  std::optional<std::string_view> finish_reason;
  std::optional<Usage> usage;
};

/// The position of the choice with index 0, else 0 (servers that omit or renumber the index).
inline std::size_t first_choice(const std::vector<WireChoice>& choices) noexcept {
  for (std::size_t i = 0; i < choices.size(); ++i) {
    if (choices[i].index == 0)
      return i;
  }
  return 0;
}

/// The view of a typed decode; it points into `wire`.
inline CompletionView view_of(const WireCompletion& wire, Shape shape) {
  CompletionView view;
  if (wire.id)
    view.id = *wire.id;
  if (wire.model)
    view.model = *wire.model;
  view.usage = wire.usage;
  if (!wire.choices || wire.choices->empty())
    return view;
  const WireChoice& choice = (*wire.choices)[first_choice(*wire.choices)];
  view.has_choice = true;
  const std::optional<WireMessage>& message =
      shape == Shape::answer ? choice.message : choice.delta;
  if (message && message->content)
    view.content = *message->content;
  if (choice.finish_reason)
    view.finish_reason = *choice.finish_reason;
  return view;
}

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
