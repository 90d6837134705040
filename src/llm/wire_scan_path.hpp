#pragma once
// The small-document path of the wire decoders: the strict JsonScanner under the rules of
// completion_rules.hpp, for the usual chat.completion.chunk (a few hundred bytes, where
// simdjson's per-document set-up costs more than the parse). What it declines goes to the
// simdjson fast path, then to the typed decoder; either way a document means the same thing.
// Chunks of one stream repeat everything before "choices" (id, object, created, model,
// fingerprint: about 200 of 270 bytes); a chunk that starts with the bytes the previous one read
// there resumes from the state those bytes left instead of reading them again.
// Private to src/llm; exported only so that the unit tests can reach it.

#include <cstddef>
#include <memory>
#include <opsgraph/export.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "llm/completion_rules.hpp"
#include "llm/wire_types.hpp"

namespace opsgraph::llm::wire {

class JsonScanner;

/// The scanner's buffer for unescaped strings, reused from one document to the next. One per
/// stream (StreamAssembler), which also remembers the start of the last chunk; not thread-safe.
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
  // A chunk's bytes before the name of its root "choices" member, and what reading them left:
  // the members seen and the fields read (id and model as offsets into the bytes).
  struct SharedPrefix {
    std::string bytes;  // empty when no chunk left one
    rules::Seen seen;
    std::optional<std::size_t> id_at;
    std::size_t id_size = 0;
    std::optional<std::size_t> model_at;
    std::size_t model_size = 0;
    std::optional<Usage> usage;
  };

  bool read_chunk(JsonScanner& json, std::string_view text, CompletionView& out);
  // The bytes of `text` before the member `name` and the state they left, into `prefix`; false
  // when they do not end with a ',' or a field read so far lies outside them (in the buffer).
  static bool take_prefix(std::string_view text, std::string_view name, const rules::Seen& seen,
                          const CompletionView& out, SharedPrefix& prefix);

  std::unique_ptr<char[]> unescaped_ = std::make_unique_for_overwrite<char[]>(kMaxBytes);
  SharedPrefix prefix_;
};

}  // namespace opsgraph::llm::wire
