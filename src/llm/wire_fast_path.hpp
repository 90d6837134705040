#pragma once
// The fast path of the wire decoders: one direct simdjson ondemand pass over an answer, or a chunk
// the scanner of wire_scan_path.hpp declined, with no intermediate structs, under the rules of
// completion_rules.hpp (what is accepted, what is declined to the typed decoder of
// wire_types.hpp). Private to src/llm; exported only so that the unit tests can reach it.

#include <simdjson.h>

#include <cstddef>
#include <deque>
#include <memory>
#include <opsgraph/export.hpp>
#include <string>
#include <string_view>

#include "llm/wire_types.hpp"

namespace opsgraph::llm::wire {

/// Where strings unescaped outside simdjson go: a buffer per string, reused from one document
/// to the next (so the views handed out stay valid until reset()).
class UnescapedStrings {
 public:
  /// Unescapes the string whose raw token (quotes included) is `token` with unescape_simple;
  /// false when that declines.
  bool unescape(std::string_view token, std::string_view& out);
  void reset() noexcept { used_ = 0; }

 private:
  struct Buffer {
    std::unique_ptr<char[]> bytes;
    std::size_t capacity = 0;
  };
  std::deque<Buffer> buffers_;
  std::size_t used_ = 0;
};

/// A simdjson parser and the padded copy of the text it reads, reused from one document to the
/// next. One per stream (StreamAssembler) or per thread (thread_reader()); not thread-safe.
class OPSGRAPH_API FastReader {
 public:
  /// Reads `text` into `out` (default-constructed by the caller); false when the fast path declines
  /// the document (malformed, an error object, members of unexpected types, a refusal, anything
  /// unusual). The views in `out` point into this reader and stay valid until its next read.
  bool read(std::string_view text, Shape shape, CompletionView& out);

 private:
  simdjson::ondemand::parser parser_;
  std::string buffer_;
  UnescapedStrings unescaped_;
};

/// The calling thread's reader, for one-off answers.
FastReader& thread_reader();

}  // namespace opsgraph::llm::wire
