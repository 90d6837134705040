#pragma once
// Answers, chunks and error bodies as OpenAI-compatible servers send them, shared by the wire
// tests. Each is abridged from a real server's output; the members opsgraph ignores are kept so
// that the tests prove they are ignored.

#include <string>
#include <string_view>

namespace opsgraph::llm::testing {

// OpenAI: every member, logprobs null, a system fingerprint, usage details.
inline constexpr std::string_view kOpenAiAnswer = R"({
  "id": "chatcmpl-9x1", "object": "chat.completion", "created": 1732600000,
  "model": "gpt-4o-2024-08-06",
  "choices": [{"index": 0, "message": {"role": "assistant",
    "content": "{\"root_cause\": \"a \\\"runaway\\\" svchost\", \"evidence\": [\"cpu=100%\\n\"]}",
    "refusal": null}, "logprobs": null, "finish_reason": "stop"}],
  "usage": {"prompt_tokens": 120, "completion_tokens": 30, "total_tokens": 150,
            "prompt_tokens_details": {"cached_tokens": 0}},
  "system_fingerprint": "fp_1"})";
// The content of kOpenAiAnswer, unescaped.
inline constexpr std::string_view kOpenAiContent =
    R"({"root_cause": "a \"runaway\" svchost", "evidence": ["cpu=100%\n"]})";

// vLLM: stop_reason, prompt_logprobs, no system fingerprint.
inline constexpr std::string_view kVllmAnswer = R"({"id":"cmpl-7","object":"chat.completion",
  "created":1,"model":"Qwen/Qwen2.5-7B-Instruct","choices":[{"index":0,"message":{"role":
  "assistant","content":"hello","tool_calls":[]},"logprobs":null,"finish_reason":"length",
  "stop_reason":null}],"usage":{"prompt_tokens":5,"total_tokens":9,"completion_tokens":4},
  "prompt_logprobs":null})";

// Ollama: usage without total_tokens in some versions.
inline constexpr std::string_view kOllamaAnswer = R"({"id":"chatcmpl-42","object":
  "chat.completion","created":1,"model":"llama3.1:8b","system_fingerprint":"fp_ollama",
  "choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}],
  "usage":{"prompt_tokens":10,"completion_tokens":2}})";

// llama.cpp server: no usage at all, timings instead, no index.
inline constexpr std::string_view kLlamaCppAnswer = R"({"choices":[{"finish_reason":"stop",
  "message":{"content":"pong","role":"assistant"}}],"created":1,"model":"gpt-3.5-turbo",
  "object":"chat.completion","id":"chatcmpl-abc","timings":{"predicted_ms":12.5}})";

}  // namespace opsgraph::llm::testing

namespace opsgraph::llm::testing {

// An OpenAI stream of kOpenAiContent's answer in four deltas: a role-only first delta,
// finish_reason null until the last choice chunk, a keep-alive comment, usage in a last chunk
// with no choices, CRLF line ends in part.
inline constexpr std::string_view kOpenAiStream =
    "data: {\"id\":\"chatcmpl-9x1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
    "\"model\":\"gpt-4o-2024-08-06\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\","
    "\"content\":\"\"},\"finish_reason\":null}],\"usage\":null}\n\n"
    ": keep-alive\n\n"
    "data: {\"id\":\"chatcmpl-9x1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
    "\"model\":\"gpt-4o-2024-08-06\",\"choices\":[{\"index\":0,\"delta\":{\"content\":"
    "\"{\\\"root_cause\\\": \\\"a \\\\\\\"runaway\\\\\\\"\"},\"finish_reason\":null}],"
    "\"usage\":null}\r\n\r\n"
    "data: {\"id\":\"chatcmpl-9x1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
    "\"model\":\"gpt-4o-2024-08-06\",\"choices\":[{\"index\":0,\"delta\":{\"content\":"
    "\" svchost\\\", \\\"evidence\\\": \"},\"finish_reason\":null}],\"usage\":null}\r\r"
    "data: {\"id\":\"chatcmpl-9x1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
    "\"model\":\"gpt-4o-2024-08-06\",\"choices\":[{\"index\":0,\"delta\":{\"content\":"
    "\"[\\\"cpu=100%\\\\n\\\"]}\"},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
    "\"usage\":null}\n\n"
    "data: {\"id\":\"chatcmpl-9x1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
    "\"model\":\"gpt-4o-2024-08-06\",\"choices\":[],\"usage\":{\"prompt_tokens\":120,"
    "\"completion_tokens\":30,\"total_tokens\":150}}\n\n"
    "data: [DONE]\n\n";

}  // namespace opsgraph::llm::testing
