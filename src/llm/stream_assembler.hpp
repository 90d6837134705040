#pragma once
// opsgraph::llm::wire::StreamAssembler — turns a chat.completion.chunk SSE stream into the same
// ChatResponse a non-streaming call returns, handing each content delta to a callback as it
// arrives. Tolerates the variants of OpenAI-compatible servers: a role-only first delta,
// finish_reason null in intermediate chunks, usage absent or in a last chunk with no choices.
// One assembler reads one stream; not thread-safe. Private to the library; exported only so that
// the unit tests can reach it.

#include <cstddef>
#include <functional>
#include <memory>
#include <opsgraph/core/result.hpp>
#include <opsgraph/export.hpp>
#include <opsgraph/llm/chat.hpp>
#include <optional>
#include <string_view>

#include "llm/sse_parser.hpp"

namespace opsgraph::llm::wire {

struct CompletionView;
class FastReader;
class ScanReader;

class OPSGRAPH_API StreamAssembler {
 public:
  /// `on_delta` (may be empty) receives each non-empty content delta of choice 0, in order; it
  /// must not throw.
  explicit StreamAssembler(std::function<void(std::string_view)> on_delta);
  ~StreamAssembler();
  StreamAssembler(StreamAssembler&&) noexcept;
  StreamAssembler& operator=(StreamAssembler&&) noexcept;

  /// Feeds raw body bytes; an unusable chunk → errc::bad_response. An "error" object inside the
  /// stream → the Error decode_error would give (status from the error, or 500). After a
  /// failure the assembler is spent: every later call fails the same way.
  result<void> feed(std::string_view bytes);

  /// True once "data: [DONE]" arrived.
  bool done() const noexcept { return done_; }

  /// The assembled answer; bad_response if the stream ended without [DONE] or without any choice.
  result<ChatResponse> finish();

 private:
  result<void> take_event(const SseEvent& event);
  result<void> take_chunk(std::string_view data);
  void take_view(const CompletionView& chunk);

  std::function<void(std::string_view)> on_delta_;
  SseParser parser_;
  std::unique_ptr<ScanReader> scanner_;  // reads the usual chunk
  std::unique_ptr<FastReader> reader_;   // the simdjson parser, for the chunks scanner_ declines
  ChatResponse response_;
  std::optional<Error> failure_;
  std::size_t chunks_ = 0;
  bool saw_choice_ = false;
  bool done_ = false;
};

}  // namespace opsgraph::llm::wire
