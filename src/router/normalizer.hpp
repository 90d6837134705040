#pragma once
// The text normalisation applied to a request (and to rule keywords) before matching: invisible
// formatting characters (zero-width, bidi controls: general category Cf) removed, NFKC with case
// folding, and lookalike letters of other scripts inside Latin words mapped to Latin through
// ICU's confusable skeletons. Genuine non-Latin words (Russian, Greek, Japanese) are kept as they
// are. Immutable after create(); normalize() is thread-safe. Public face: router::TextNormalizer.

#include <unicode/normalizer2.h>
#include <unicode/umachine.h>
#include <unicode/unistr.h>

#include <cstddef>
#include <opsgraph/core/result.hpp>
#include <opsgraph/router/normalize.hpp>
#include <string>
#include <string_view>
#include <unordered_map>

namespace opsgraph::router::detail {

using router::NormalizedText;

class Normalizer {
 public:
  /// Loads ICU's normalisation data and builds the lookalike map; internal when ICU's data is
  /// missing.
  static result<Normalizer> create();

  /// invalid_argument when `text` is not valid UTF-8.
  result<NormalizedText> normalize(std::string_view text) const;

 private:
  Normalizer(const icu::Normalizer2* nfkc_casefold,
             std::unordered_map<UChar32, UChar32> lookalikes) noexcept
      : nfkc_casefold_(nfkc_casefold), lookalikes_(std::move(lookalikes)) {}

  bool has_lookalike(const icu::UnicodeString& text) const;
  icu::UnicodeString map_lookalikes(const icu::UnicodeString& text,
                                    std::size_t& mapped_count) const;

  const icu::Normalizer2* nfkc_casefold_;  // owned by ICU, process lifetime
  std::unordered_map<UChar32, UChar32> lookalikes_;
};

}  // namespace opsgraph::router::detail
