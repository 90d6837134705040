#pragma once
// The documents the LLM parse benchmark reads: OpenAI chat.completion answers whose content is an
// escaped JSON diagnosis (root cause, evidence, solutions with steps), grown to a target size, and
// a chat.completion.chunk SSE stream that delivers such a diagnosis in many small deltas.

#include <cstddef>
#include <string>

namespace bench::llm {

/// A chat.completion answer of about `target_bytes`, as a server sends it.
std::string completion_answer(std::size_t target_bytes);

/// An SSE body of `chunks` content chunks, then a usage chunk with no choices and [DONE], the way
/// OpenAI streams with stream_options.include_usage.
std::string completion_stream(std::size_t chunks);

}  // namespace bench::llm
