#pragma once
// Cassettes: the JSON Lines files that llm::Recorder writes and llm::Replay answers from, so that a
// workflow's LLM calls can be recorded once and replayed deterministically in tests.
//
// One line per call, in call order:
//
//   {"key": "sha256:…", "request": {…}, "response": {"content": …, "finish_reason": …, …}}
//   {"key": "sha256:…", "request": {…}, "error": {"code": "rate_limited", "message": …, …}}
//
// "request" is the request's normal form (cassette_request): what reaches the model and nothing
// else. Metadata, the timeout and the stream flag are dropped (a streamed answer is the same
// answer); unset options are written as null; a text or json_object format loses the schema it
// does not send. "response" is a ChatResponse and "error" an Error, in the JSON of
// <opsgraph/llm/chat_codec.hpp> and {code, message, retryable, details}.
//
// Secrets never reach a cassette: every string of a line (request, answer and error alike) has
// API keys (sk-…, sk-proj-…), bearer tokens, "api-key: …" values and AWS access key ids replaced
// by "[REDACTED]". The key is the hash of the redacted normal form, computed the same way by
// Recorder and Replay, so a recorded request still matches when replayed. (Two requests that
// differ only in a secret therefore share a key.) Stateless functions; thread-safe.

#include <opsgraph/core/json_value.hpp>
#include <opsgraph/export.hpp>
#include <opsgraph/llm/chat.hpp>
#include <string>

namespace opsgraph::llm {

/// The normal form of `request`, secrets redacted, as a cassette stores it.
OPSGRAPH_API json::Value cassette_request(const ChatRequest& request);

/// The key a cassette files `request` under: content_hash (sha256:…) of the canonical JSON of
/// cassette_request(request), whose object members are sorted by name at every level.
OPSGRAPH_API std::string cassette_key(const ChatRequest& request);

/// The same key for a request already in normal form (as read back from a cassette).
OPSGRAPH_API std::string cassette_key(const json::Value& normal_form);

}  // namespace opsgraph::llm
