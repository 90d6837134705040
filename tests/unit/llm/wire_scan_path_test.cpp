// The scanner path reads every chunk it accepts exactly as the existing path does (the simdjson
// fast path, else the typed decoder), and declines what is damaged, unusual or not JSON.

#include "llm/wire_scan_path.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <opsgraph/core/json_codec.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "llm/sse_parser.hpp"
#include "llm/wire_fast_path.hpp"
#include "llm/wire_types.hpp"
#include "unit/llm/wire_samples.hpp"

namespace opsgraph::llm {
namespace {

using wire::CompletionView;
using wire::Shape;

// What a reader read, copied out of its storage.
struct Read {
  std::string id;
  std::string model;
  bool has_choice = false;
  std::optional<std::string> content;
  std::optional<std::string> finish_reason;
  std::optional<Usage> usage;

  friend bool operator==(const Read&, const Read&) = default;
};

Read copy_of(const CompletionView& view) {
  Read read;
  read.id = view.id;
  read.model = view.model;
  read.has_choice = view.has_choice;
  if (view.content)
    read.content = std::string(*view.content);
  if (view.finish_reason)
    read.finish_reason = std::string(*view.finish_reason);
  read.usage = view.usage;
  return read;
}

// What the scanner reads, from a heap block of exactly the text's size (so that AddressSanitizer
// sees any read past it); nullopt when it declines.
std::optional<Read> scanned(std::string_view text, Shape shape = Shape::chunk) {
  const auto bytes = std::make_unique<char[]>(text.size() + 1);
  std::memcpy(bytes.get(), text.data(), text.size());
  static wire::ScanReader reader;
  CompletionView view;
  if (!reader.read(std::string_view(bytes.get(), text.size()), shape, view)) {
    EXPECT_EQ(copy_of(view), Read{}) << "a declined read leaves the view empty";
    return std::nullopt;
  }
  return copy_of(view);
}

// What the path before the scanner reads (StreamAssembler's take_chunk without it); nullopt when
// that is an error.
std::optional<Read> existing(std::string_view text, Shape shape = Shape::chunk) {
  wire::FastReader reader;
  CompletionView view;
  if (reader.read(text, shape, view))
    return copy_of(view);
  const result<wire::WireCompletion> decoded = json::decode<wire::WireCompletion>(text);
  if (!decoded || decoded.value().error || decoded.value().object == "error")
    return std::nullopt;
  return copy_of(wire::view_of(decoded.value(), shape));
}

// The scanner may decline anything, but what it accepts it reads as the existing path does.
void expect_never_differs(std::string_view text, Shape shape = Shape::chunk) {
  const std::optional<Read> fast = scanned(text, shape);
  if (!fast)
    return;
  const std::optional<Read> before = existing(text, shape);
  ASSERT_TRUE(before) << "accepted what the existing path rejects: " << text;
  ASSERT_EQ(*fast, *before) << text;
}

// The usual case: the scanner reads it, and reads it as the existing path does.
void expect_same(std::string_view text, Shape shape = Shape::chunk) {
  const std::optional<Read> fast = scanned(text, shape);
  ASSERT_TRUE(fast) << "declined: " << text;
  const std::optional<Read> before = existing(text, shape);
  ASSERT_TRUE(before) << text;
  EXPECT_EQ(*fast, *before) << text;
}

std::vector<std::string> data_of(std::string_view stream) {
  std::vector<std::string> data;
  wire::SseParser parser;
  parser.feed(stream, [&data](const wire::SseEvent& event) {
    if (event.data != "[DONE]")
      data.push_back(event.data);
    return true;
  });
  return data;
}

// Chunks as each server flavour sends them.
const std::vector<std::string>& sample_chunks() {
  static const std::vector<std::string> chunks = [] {
    std::vector<std::string> all = data_of(testing::kOpenAiStream);
    for (
        std::string_view chunk : {
            // vLLM: stop_reason, no system fingerprint, usage per chunk when continuous usage
            // stats are on.
            R"({"id":"chatcmpl-7","object":"chat.completion.chunk","created":1,"model":"Qwen/Qwen2.5-7B-Instruct","choices":[{"index":0,"delta":{"content":"hel"},"logprobs":null,"finish_reason":null,"stop_reason":null}],"usage":{"prompt_tokens":5,"total_tokens":6,"completion_tokens":1}})",
            R"({"id":"chatcmpl-7","object":"chat.completion.chunk","created":1,"model":"Qwen/Qwen2.5-7B-Instruct","choices":[{"index":0,"delta":{"content":""},"logprobs":null,"finish_reason":"length","stop_reason":null}]})",
            // Ollama: the role repeated in every delta, a system fingerprint.
            R"({"id":"chatcmpl-42","object":"chat.completion.chunk","created":1,"model":"llama3.1:8b","system_fingerprint":"fp_ollama","choices":[{"index":0,"delta":{"role":"assistant","content":"He"},"finish_reason":null}]})",
            R"({"id":"chatcmpl-42","object":"chat.completion.chunk","created":1,"model":"llama3.1:8b","system_fingerprint":"fp_ollama","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":"stop"}],"usage":{"prompt_tokens":10,"completion_tokens":2}})",
            // llama.cpp server: no index, an empty delta at the end, timings.
            R"({"choices":[{"finish_reason":null,"index":0,"delta":{"content":"pong"}}],"created":1,"id":"chatcmpl-abc","model":"gpt-3.5-turbo","system_fingerprint":"b1","object":"chat.completion.chunk"})",
            R"({"choices":[{"finish_reason":"stop","delta":{}}],"created":1,"id":"chatcmpl-abc","model":"gpt-3.5-turbo","object":"chat.completion.chunk","usage":{"completion_tokens":1,"prompt_tokens":3,"total_tokens":4},"timings":{"prompt_n":3,"predicted_ms":12.5}})",
            // Pretty-printed, escapes and \u escapes in the content, non-ASCII text, refusal
            // null, logprobs with nested content.
            "{ \"id\" : \"c\\u0031\" ,\n \"model\" : \"m\" , \"choices\" : [ { \"index\" : 0 ,"
            " \"delta\" : { \"content\" : \"caf\xC3\xA9 \\\"\\u20ac\\\" \\ud83d\\ude00\\n\","
            " \"refusal\" : null } , \"logprobs\" : {\"content\":[{\"token\":\"a\","
            "\"logprob\":-0.25,\"bytes\":[97],\"top_logprobs\":[]}]} } ] }\n",
            // Several choices: choice 0 listed second.
            R"({"id":"c","model":"m","choices":[{"index":1,"delta":{"content":"B"}},{"index":0,"delta":{"content":"A"},"finish_reason":"stop"}]})",
            // Members that are null or absent.
            R"({"id":null,"model":null,"object":null,"choices":[],"usage":null})",
            R"({})",
        }) {
      all.emplace_back(chunk);
    }
    return all;
  }();
  return chunks;
}

TEST(ScanPath, EveryChunkFlavourReadsAsBefore) {
  for (const std::string& chunk : sample_chunks())
    expect_same(chunk);
}

TEST(ScanPath, AnswersReadAsBeforeToo) {
  for (std::string_view answer : {testing::kOpenAiAnswer, testing::kVllmAnswer,
                                  testing::kOllamaAnswer, testing::kLlamaCppAnswer}) {
    expect_same(answer, Shape::answer);
  }
}

TEST(ScanPath, WhatTheExistingPathDeclinesIsDeclined) {
  for (std::string_view chunk : {
           R"({"error":{"message":"Rate limit reached","code":429}})",
           R"({"object":"error","message":"boom","code":500})",
           R"({"id":"a","id":"b","choices":[]})",
           R"({"choices":[{"delta":{"content":"a","content":"b"}}]})",
           R"({"choices":[{"delta":{"content":null,"refusal":"no"}}]})",
           R"({"choices":[{"delta":{"content":7}}]})",
           R"({"choices":[{"index":1.5,"delta":{}}]})",
           R"({"choices":[{"index":-1,"delta":{}}]})",
           R"({"choices":{}})",
           R"({"choices":null})",
           R"({"choices":[{"delta":null}]})",
           R"({"choices":[7]})",
           R"({"usage":{"prompt_tokens":"7"}})",
           R"({"usage":{"prompt_tokens":2.0}})",
           R"({"usage":{"prompt_tokens":1e2}})",
           R"({"usage":{"prompt_tokens":99999999999999999999}})",
           R"({"usage":[]})",
           R"({"model":7})",
           R"({"mo\u0064el":"m"})",  // escaped member names are left to the typed decoder
           R"([1])",
           R"("chunk")",
       }) {
    EXPECT_EQ(scanned(chunk), std::nullopt) << chunk;
    expect_never_differs(chunk);
  }
}

TEST(ScanPath, MalformedChunksAreDeclined) {
  const std::string deep = R"({"x":)" + std::string(100, '[') + std::string(100, ']') + "}";
  for (std::string_view chunk : {
           std::string_view(R"({"choices":[{"index":01,"delta":{}}]})"),
           std::string_view(R"({"created":-01,"choices":[]})"),
           std::string_view(R"({"choices":[]} trailing)"),
           std::string_view(R"({"choices":[]}})"),
           std::string_view(R"({"choices":[]},)"),
           std::string_view(R"({"choices":[{"delta":{"content":"\x41"}}]})"),
           std::string_view(R"({"choices":[{"delta":{"content":"\ud800"}}]})"),
           std::string_view(R"({"choices":[{"delta":{"content":"\udc00\ud800"}}]})"),
           std::string_view("{\"choices\":[{\"delta\":{\"content\":\"\xC0\x80\"}}]}"),
           std::string_view("{\"choices\":[{\"delta\":{\"content\":\"\xED\xA0\x80\"}}]}"),
           std::string_view("{\"choices\":[{\"delta\":{\"content\":\"\xF4\x90\x80\x80\"}}]}"),
           std::string_view("{\"choices\":[{\"delta\":{\"content\":\"\xE2\x82\"}}]}"),
           std::string_view("{\"choices\":[{\"delta\":{\"content\":\"tab\there\"}}]}"),
           std::string_view("{\"choices\":[], \"x\":\"\xFF\"}"),
           std::string_view(deep),
           std::string_view(R"({"choices":[],"x":nul})"),
           std::string_view(R"({"choices":[],"x":[1,]})"),
           std::string_view(R"({"choices":[],"x":{"a":tru}})"),
       }) {
    EXPECT_EQ(scanned(chunk), std::nullopt) << chunk;
    expect_never_differs(chunk);
  }
}

TEST(ScanPath, NestingWithinTheLimitIsRead) {
  const std::string nested =
      R"({"choices":[],"x":)" + std::string(20, '[') + std::string(20, ']') + R"(,"id":"i"})";
  expect_same(nested);
}

TEST(ScanPath, EveryTruncationIsDeclined) {
  for (const std::string& chunk : sample_chunks()) {
    const std::size_t end = chunk.find_last_of('}') + 1;  // past it only whitespace is left
    for (std::size_t n = 0; n < end; ++n) {
      ASSERT_EQ(scanned(std::string_view(chunk).substr(0, n)), std::nullopt) << chunk.substr(0, n);
    }
  }
}

// Each byte of each sample flipped to each of a set of bytes that break JSON in different ways:
// either the scanner declines, or it reads what the existing path reads.
TEST(ScanPath, EverySingleByteDamageIsDeclinedOrReadAsBefore) {
  constexpr char kNasty[] =
      "\"\\{}[],:0-1e.n \x00\x01\x08\x0a\x0d\x1f\x7f\x80\xbf\xc0\xc3\xe2\xed\xf0\xf4\xff";
  for (const std::string& chunk : sample_chunks()) {
    for (std::size_t at = 0; at < chunk.size(); ++at) {
      for (char byte : std::string_view(kNasty, sizeof kNasty - 1)) {
        std::string damaged = chunk;
        damaged[at] = byte;
        expect_never_differs(damaged);
        if (::testing::Test::HasFatalFailure())
          return;
      }
    }
  }
}

// One reader over a sequence of chunks, as a stream uses it: each read equals a fresh reader's
// and the existing path's, whether it resumes from the previous chunk's prefix or not.
void expect_in_turn_as_fresh(const std::vector<std::string>& chunks) {
  wire::ScanReader in_turn;
  for (const std::string& chunk : chunks) {
    CompletionView view;
    wire::ScanReader fresh;
    CompletionView fresh_view;
    const bool read = in_turn.read(chunk, Shape::chunk, view);
    ASSERT_EQ(read, fresh.read(chunk, Shape::chunk, fresh_view)) << chunk;
    EXPECT_EQ(copy_of(view), copy_of(fresh_view)) << chunk;
    if (read) {
      EXPECT_EQ(std::optional<Read>(copy_of(view)), existing(chunk)) << chunk;
    }
  }
}

TEST(ScanPath, ChunksThatShareAPrefixReadAsAlone) {
  const std::string prefix =
      R"({"id":"c-1","object":"chat.completion.chunk","created":7,"model":"m-\u0031",)";
  const std::string other_prefix = R"({"id":"c-2","object":"chat.completion.chunk",)";
  const auto chunk = [](const std::string& start, std::string_view content) {
    return start + R"("choices":[{"index":0,"delta":{"content":")" + std::string(content) +
           R"("},"finish_reason":null}]})";
  };
  std::string open = chunk(other_prefix, "x");  // without its closing brace, to add members
  open.pop_back();
  expect_in_turn_as_fresh({
      chunk(prefix, "one"),
      chunk(prefix, R"(two \"quoted\")"),
      chunk(other_prefix, "a prefix that differs"),
      chunk(other_prefix, "the same again"),
      chunk(prefix, "back to the first"),
      // The same prefix, then members the prefix must still count: a repeat is declined.
      open + R"(,"id":"c-3"})",
      open + R"(,"model":"m","usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}})",
      // The same prefix with the rest damaged or cut.
      chunk(other_prefix, R"(bad \x escape)"),
      other_prefix + R"("choices":[)",
      other_prefix + R"("choices":[],"object":"error"})",
      chunk(other_prefix, "still read after a decline"),
      // "choices" first: the bytes before it ("{") do not say that a member follows.
      R"({"choices":[],"id":"a"})",
      R"({})",
  });
}

TEST(ScanPath, LargeDocumentsAreLeftToSimdjson) {
  const std::string content(wire::ScanReader::kMaxBytes, 'x');
  const std::string chunk = R"({"choices":[{"delta":{"content":")" + content + R"("}}]})";
  EXPECT_EQ(scanned(chunk), std::nullopt);
  EXPECT_TRUE(existing(chunk));
}

}  // namespace
}  // namespace opsgraph::llm
