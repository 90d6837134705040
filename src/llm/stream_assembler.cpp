// chat.completion.chunk events → one ChatResponse. Each chunk is decoded with the same typed
// simdjson decoder as a whole answer (wire_types.hpp); choice 0's deltas are concatenated.

#include "llm/stream_assembler.hpp"

#include <opsgraph/core/json_codec.hpp>
#include <string>
#include <string_view>
#include <utility>

#include "llm/wire_errors.hpp"
#include "llm/wire_types.hpp"

namespace opsgraph::llm::wire {

namespace {

constexpr std::string_view kDone = "[DONE]";

}  // namespace

StreamAssembler::StreamAssembler(std::function<void(std::string_view)> on_delta)
    : on_delta_(std::move(on_delta)) {}

result<void> StreamAssembler::feed(std::string_view bytes) {
  if (failure_)
    return fail(*failure_);
  parser_.feed(bytes, [this](const SseEvent& event) {
    result<void> taken = take_event(event);
    if (!taken)
      failure_ = std::move(taken).error();
    return !failure_;
  });
  if (failure_)
    return fail(*failure_);
  return ok();
}

result<ChatResponse> StreamAssembler::finish() {
  if (failure_)
    return fail(*failure_);
  if (!done_) {
    return fail(errc::bad_response, "the stream ended before \"data: [DONE]\" (after " +
                                        std::to_string(chunks_) + " chunks)");
  }
  if (!saw_choice_)
    return fail(errc::bad_response, "the stream ended without any choice");
  response_.usage = complete(response_.usage);
  return response_;
}

result<void> StreamAssembler::take_event(const SseEvent& event) {
  if (done_)
    return ok();  // nothing after [DONE] belongs to the answer
  if (event.event == "error")
    return fail(error_in_body(event.data));
  if (event.data == kDone) {
    done_ = true;
    return ok();
  }
  ++chunks_;
  return take_chunk(event.data);
}

result<void> StreamAssembler::take_chunk(std::string_view data) {
  result<WireCompletion> decoded = json::decode<WireCompletion>(data);
  if (!decoded) {
    return fail(
        as_bad_response(std::move(decoded).error(), "stream chunk " + std::to_string(chunks_)));
  }
  WireCompletion& chunk = decoded.value();
  if (chunk.error || chunk.object == "error")
    return fail(error_in_body(data));
  if (response_.id.empty() && chunk.id)
    response_.id = std::move(*chunk.id);
  if (response_.model.empty() && chunk.model)
    response_.model = std::move(*chunk.model);
  if (chunk.usage)
    response_.usage = *chunk.usage;
  if (!chunk.choices)
    return ok();
  for (WireChoice& choice : *chunk.choices) {
    if (choice.index != 0)
      continue;  // opsgraph asks for one choice; extra ones are not part of the answer
    saw_choice_ = true;
    if (choice.finish_reason)
      response_.finish_reason = std::move(*choice.finish_reason);
    if (!choice.delta || !choice.delta->content || choice.delta->content->empty())
      continue;
    const std::string& delta = *choice.delta->content;
    response_.content += delta;
    if (on_delta_)
      on_delta_(delta);
  }
  return ok();
}

}  // namespace opsgraph::llm::wire
