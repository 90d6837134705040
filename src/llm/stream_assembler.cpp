// chat.completion.chunk events → one ChatResponse. Each chunk is read by the scanner for small
// documents, else the simdjson fast path, else the typed decoder; choice 0's deltas are
// concatenated.

#include "llm/stream_assembler.hpp"

#include <opsgraph/core/json_codec.hpp>
#include <string>
#include <string_view>
#include <utility>

#include "llm/wire_errors.hpp"
#include "llm/wire_fast_path.hpp"
#include "llm/wire_scan_path.hpp"
#include "llm/wire_types.hpp"

namespace opsgraph::llm::wire {

namespace {

constexpr std::string_view kDone = "[DONE]";

}  // namespace

StreamAssembler::StreamAssembler(std::function<void(std::string_view)> on_delta)
    : on_delta_(std::move(on_delta)),
      scanner_(std::make_unique<ScanReader>()),
      reader_(std::make_unique<FastReader>()) {}

StreamAssembler::~StreamAssembler() = default;
StreamAssembler::StreamAssembler(StreamAssembler&&) noexcept = default;
StreamAssembler& StreamAssembler::operator=(StreamAssembler&&) noexcept = default;

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
  CompletionView chunk;
  if (scanner_->read(data, Shape::chunk, chunk) || reader_->read(data, Shape::chunk, chunk)) {
    take_view(chunk);
    return ok();
  }
  // What the fast path declines, the typed decoder reads or names the fault of.
  result<WireCompletion> decoded = json::decode<WireCompletion>(data);
  if (!decoded) {
    return fail(
        as_bad_response(std::move(decoded).error(), "stream chunk " + std::to_string(chunks_)));
  }
  if (decoded.value().error || decoded.value().object == "error")
    return fail(error_in_body(data));
  take_view(view_of(decoded.value(), Shape::chunk));
  return ok();
}

void StreamAssembler::take_view(const CompletionView& chunk) {
  if (response_.id.empty())
    response_.id.assign(chunk.id);
  if (response_.model.empty())
    response_.model.assign(chunk.model);
  if (chunk.usage)
    response_.usage = *chunk.usage;
  if (!chunk.has_choice)
    return;
  saw_choice_ = true;
  if (chunk.finish_reason)
    response_.finish_reason.assign(*chunk.finish_reason);
  if (!chunk.content || chunk.content->empty())
    return;
  response_.content.append(*chunk.content);
  if (on_delta_)
    on_delta_(*chunk.content);
}

}  // namespace opsgraph::llm::wire
