#pragma once
// opsgraph::router::TextNormalizer — the normalisation the rule router applies to request text
// before matching, available on its own (for logs, audits and other rule engines): invisible
// formatting characters (zero-width, bidi controls) removed, NFKC with case folding, and lookalike
// letters of other scripts inside Latin words mapped to Latin. Words written wholly in another
// script (Russian, Greek, Japanese) are kept. Immutable after create(): thread-safe, cheap to copy.

#include <cstddef>
#include <memory>
#include <opsgraph/core/result.hpp>
#include <opsgraph/export.hpp>
#include <string>
#include <string_view>

namespace opsgraph::router {

/// A normalised text and what normalisation had to change to get it.
struct NormalizedText {
  std::string text;                      ///< UTF-8, case-folded.
  std::size_t invisible_removed = 0;     ///< Cf characters removed (a leading BOM not counted).
  std::size_t compatibility_mapped = 0;  ///< Fullwidth, styled and other compatibility forms.
  std::size_t lookalikes_mapped = 0;     ///< Non-Latin letters inside Latin words made Latin.

  /// Whether the text was disguised: invisible characters and lookalike letters are not how a
  /// person writes a request, so the router treats them as an attempt to slip past its rules.
  bool disguised() const noexcept { return invisible_removed > 0 || lookalikes_mapped > 0; }
};

namespace detail {
class Normalizer;
}  // namespace detail

class OPSGRAPH_API TextNormalizer {
 public:
  /// Loads ICU's normalisation and confusable data; internal when ICU's data is missing.
  static result<TextNormalizer> create();

  /// invalid_argument when `text` is not valid UTF-8.
  result<NormalizedText> normalize(std::string_view text) const;

 private:
  explicit TextNormalizer(std::shared_ptr<const detail::Normalizer> impl) noexcept
      : impl_(std::move(impl)) {}

  std::shared_ptr<const detail::Normalizer> impl_;
};

}  // namespace opsgraph::router
