#pragma once
// The small-document path of the wire decoders: the strict JsonScanner under the rules of
// completion_rules.hpp, for the usual chat.completion.chunk (a few hundred bytes, where
// simdjson's per-document set-up costs more than the parse). What it declines goes to the
// simdjson fast path, then to the typed decoder; either way a document means the same thing.
// Private to src/llm; exported only so that the unit tests can reach it.

#include <cstddef>
#include <memory>
#include <opsgraph/export.hpp>
#include <string_view>

#include "llm/wire_types.hpp"

namespace opsgraph::llm::wire {

/// The scanner's buffer for unescaped strings, reused from one document to the next. One per
/// stream (StreamAssembler); not thread-safe.
class OPSGRAPH_API ScanReader {
 public:
  /// Larger documents are declined: past this size simdjson's vector parse wins.
  static constexpr std::size_t kMaxBytes = 4096;

  /// Reads `text` into `out` (default-constructed by the caller); false when the scanner declines
  /// (larger than kMaxBytes, malformed, or anything completion_rules.hpp declines), leaving `out`
  /// default-constructed. The views in `out` point into `text` or this reader and stay valid
  /// until its next read.
  bool read(std::string_view text, Shape shape, CompletionView& out);

 private:
  std::unique_ptr<char[]> unescaped_ = std::make_unique_for_overwrite<char[]>(kMaxBytes);
};

}  // namespace opsgraph::llm::wire
