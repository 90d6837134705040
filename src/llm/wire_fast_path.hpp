#pragma once
// The fast path of the wire decoders: one direct simdjson ondemand pass over an answer or a chunk
// of the usual shape, with no intermediate structs. It accepts only what it can read with
// certainty (strict JSON, known members of the expected types, no duplicates among them, no
// escaped member names) and declines everything else, which the typed decoder of wire_types.hpp
// then reads or reports with its JSON path. Either way a document means the same thing. Private
// to src/llm.

#include <simdjson.h>

#include <cstddef>
#include <deque>
#include <string>
#include <string_view>

#include "llm/wire_types.hpp"

namespace opsgraph::llm::wire {

/// Buffers for strings unescaped outside simdjson, reused from one read to the next; references
/// to earlier buffers stay valid while more are handed out.
class StringPool {
 public:
  std::string& next() {
    if (used_ == buffers_.size())
      buffers_.emplace_back();
    return buffers_[used_++];
  }
  void reset() noexcept { used_ = 0; }

 private:
  std::deque<std::string> buffers_;
  std::size_t used_ = 0;
};

/// A simdjson parser and the padded copy of the text it reads, reused from one document to the
/// next. One per stream (StreamAssembler) or per thread (thread_reader()); not thread-safe.
class FastReader {
 public:
  /// Reads `text` into `out`; false when the fast path declines the document (malformed, an
  /// error object, members of unexpected types, a refusal, anything unusual). The views in `out`
  /// point into this reader and stay valid until its next read.
  bool read(std::string_view text, Shape shape, CompletionView& out);

 private:
  simdjson::ondemand::parser parser_;
  std::string buffer_;
  StringPool unescaped_;
};

/// The calling thread's reader, for one-off answers.
FastReader& thread_reader();

}  // namespace opsgraph::llm::wire
