#pragma once
// The OpenAI chat-completions wire format, both directions, for every OpenAI-compatible server
// (OpenAI, Azure OpenAI, vLLM, Ollama, llama.cpp server): the request body opsgraph sends, the
// answer it reads back, and the error bodies servers send instead. Pure functions over text; no
// I/O, no state, thread-safe. Private to the library (src/llm and src/llm/http); exported only
// so that the unit tests can reach it.

#include <opsgraph/core/error.hpp>
#include <opsgraph/core/result.hpp>
#include <opsgraph/export.hpp>
#include <opsgraph/llm/chat.hpp>
#include <string>
#include <string_view>

namespace opsgraph::llm::wire {

/// The longest part of a server's error message quoted in an Error, in bytes.
inline constexpr std::size_t kMaxQuotedMessage = 300;

/// The JSON body of POST /v1/chat/completions for `request`; `model` replaces an empty
/// request.model. stream=true adds "stream": true and "stream_options": {"include_usage": true}.
/// Metadata and the timeout are never sent. A json_schema format with no name is sent as
/// "response" (servers require a name).
OPSGRAPH_API std::string encode_request(const ChatRequest& request, std::string_view model);

/// A chat.completion answer (HTTP 2xx body) → ChatResponse (latency/attempts left for the caller).
/// Anything unusable is errc::bad_response naming the JSON path ("choices[0].message.content:
/// ..."), with details {"path": ...}. Unknown members are ignored. A refusal (message.refusal, no
/// content) is errc::content_filtered; a 2xx body that is an error object gives what
/// decode_error gives for it.
OPSGRAPH_API result<ChatResponse> decode_response(std::string_view body);

/// An error answer → Error: 400 invalid_argument (context_too_long when the body's error.code is
/// "context_length_exceeded" or the message says the context length was exceeded;
/// content_filtered for "content_filter"/"content_policy_violation"), 401 unauthorized, 403
/// permission_denied, 404 not_found, 408 timeout, 409 conflict, 413 payload_too_large, 429
/// rate_limited, 5xx upstream_unavailable, anything else bad_response. The message quotes the
/// server's error.message (truncated to kMaxQuotedMessage bytes), never request headers.
/// details: {"http_status": N, "type": ..., "code": ...}. Bodies that are not JSON (a proxy's
/// HTML page) are quoted instead, truncated the same way.
OPSGRAPH_API Error decode_error(int http_status, std::string_view body);

}  // namespace opsgraph::llm::wire
