#pragma once
// What the production LLM parse path (wire::decode_response, wire::StreamAssembler) is measured
// against, in the same binary: a RapidJSON DOM walk into ChatResponse (the baseline), and simdjson
// ondemand over the outer object alone, locating the fields and leaving the content escaped (the
// practical limit of any parser that still has to find the content). Both read SSE bodies through
// the same SseParser as production, so the stream figures compare JSON handling only.

#include <opsgraph/llm/chat.hpp>
#include <string_view>

namespace bench::llm {

/// rapidjson::Document::Parse, then a type-checked walk into `out`; false on any mismatch.
bool rapidjson_answer(std::string_view body, opsgraph::llm::ChatResponse& out);
/// The same per chunk of an SSE body, concatenating choice 0's deltas.
bool rapidjson_stream(std::string_view body, opsgraph::llm::ChatResponse& out);

/// simdjson ondemand: the fields of the answer located and read, content left as its raw token.
/// Returns the raw content token's size (0 on failure).
std::size_t outer_only_answer(std::string_view body);
/// The same per chunk: every delta located, none unescaped. Returns the total raw delta bytes.
std::size_t outer_only_stream(std::string_view body);

}  // namespace bench::llm
