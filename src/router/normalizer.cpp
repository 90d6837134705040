#include "router/normalizer.hpp"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>
#include <unicode/uspoof.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

#include <algorithm>
#include <map>
#include <memory>
#include <vector>

namespace opsgraph::router::detail {
namespace {

constexpr UChar32 kByteOrderMark = 0xFEFF;

struct Range {
  UChar32 first;
  UChar32 last;
};

// Scripts whose letters are commonly passed off as Latin ones: Greek, Cyrillic (with its
// supplement), Armenian and Cherokee (both cases).
constexpr Range kLookalikeScripts[] = {
    {0x0370, 0x03FF}, {0x0400, 0x052F}, {0x0530, 0x058F}, {0x13A0, 0x13FF}, {0xAB70, 0xABBF}};

struct SpoofCloser {
  void operator()(USpoofChecker* checker) const noexcept { uspoof_close(checker); }
};

std::u16string skeleton_of(USpoofChecker* checker, UChar32 c) {
  icu::UnicodeString in(c);
  icu::UnicodeString out;
  UErrorCode status = U_ZERO_ERROR;
  uspoof_getSkeletonUnicodeString(checker, 0, in, out, &status);
  if (U_FAILURE(status))
    return {};
  return std::u16string(out.getBuffer(), static_cast<std::size_t>(out.length()));
}

// Maps each letter of kLookalikeScripts that survives case folding to the ASCII letter with the
// same confusable skeleton. Going through the skeletons of 'a'..'z' (rather than taking a
// letter's skeleton as its Latin form) matters: skeletons are prototypes, not Latin ("m" has the
// skeleton "rn"), so only a skeleton shared with a real ASCII letter is a lookalike of it.
result<std::unordered_map<UChar32, UChar32>> build_lookalikes() {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<USpoofChecker, SpoofCloser> checker(uspoof_open(&status));
  if (U_FAILURE(status))
    return fail(errc::internal, std::string("ICU spoof checker: ") + u_errorName(status));

  std::map<std::u16string, UChar32> ascii_by_skeleton;
  for (UChar32 c = 'a'; c <= 'z'; ++c)
    ascii_by_skeleton.emplace(skeleton_of(checker.get(), c), c);

  std::unordered_map<UChar32, UChar32> lookalikes;
  for (const Range& range : kLookalikeScripts) {
    for (UChar32 c = range.first; c <= range.last; ++c) {
      if (!u_isalpha(c) || u_foldCase(c, U_FOLD_CASE_DEFAULT) != c)
        continue;
      auto found = ascii_by_skeleton.find(skeleton_of(checker.get(), c));
      if (found != ascii_by_skeleton.end())
        lookalikes.emplace(c, found->second);
    }
  }
  return lookalikes;
}

bool is_ascii(std::string_view text) noexcept {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// ASCII text needs no ICU: no Cf characters, NFKC is the identity, case folding is tolower.
NormalizedText normalize_ascii(std::string_view text) {
  NormalizedText out;
  out.text.resize(text.size());
  std::transform(text.begin(), text.end(), out.text.begin(),
                 [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; });
  return out;
}

bool is_compatibility_form(UChar32 c) noexcept {
  const auto type = u_getIntPropertyValue(c, UCHAR_DECOMPOSITION_TYPE);
  return type != U_DT_NONE && type != U_DT_CANONICAL;
}

bool is_word_part(UChar32 c) noexcept {
  if (c < 0x80)
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  return u_hasBinaryProperty(c, UCHAR_ALPHABETIC) || u_isdigit(c) ||
         (U_GET_GC_MASK(c) & U_GC_M_MASK) != 0;
}

bool is_latin(UChar32 c) noexcept {
  if (c < 0x80)
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  UErrorCode status = U_ZERO_ERROR;
  return uscript_getScript(c, &status) == USCRIPT_LATIN;
}

result<icu::UnicodeString> decode_utf8(std::string_view text) {
  std::vector<UChar> units(text.size() + 1);
  int32_t length = 0;
  UErrorCode status = U_ZERO_ERROR;
  u_strFromUTF8(units.data(), static_cast<int32_t>(units.size()), &length, text.data(),
                static_cast<int32_t>(text.size()), &status);
  if (U_FAILURE(status))
    return fail(errc::invalid_argument, "request text is not valid UTF-8");
  return icu::UnicodeString(units.data(), length);
}

// Counts Cf characters (and compatibility forms, which NFKC will rewrite) and drops the Cf ones.
// Most text has none, so the copy is made only when there is something to drop.
icu::UnicodeString strip_invisible(icu::UnicodeString in, NormalizedText& report) {
  bool any_invisible = false;
  for (int32_t i = 0; i < in.length(); i = in.moveIndex32(i, 1)) {
    const UChar32 c = in.char32At(i);
    if (c < 0xA0)
      continue;
    if (u_charType(c) == U_FORMAT_CHAR) {
      any_invisible = true;
      // A leading byte order mark is what Windows editors put there, not a disguise.
      if (!(i == 0 && c == kByteOrderMark))
        ++report.invisible_removed;
    } else if (is_compatibility_form(c)) {
      ++report.compatibility_mapped;
    }
  }
  if (!any_invisible)
    return in;
  icu::UnicodeString out;
  for (int32_t i = 0; i < in.length(); i = in.moveIndex32(i, 1)) {
    const UChar32 c = in.char32At(i);
    if (c < 0xA0 || u_charType(c) != U_FORMAT_CHAR)
      out.append(c);
  }
  return out;
}

}  // namespace

result<Normalizer> Normalizer::create() {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc_casefold = icu::Normalizer2::getNFKCCasefoldInstance(status);
  if (U_FAILURE(status))
    return fail(errc::internal, std::string("ICU NFKC_Casefold data: ") + u_errorName(status));
  OPSGRAPH_TRY(auto lookalikes, build_lookalikes());
  return Normalizer(nfkc_casefold, std::move(lookalikes));
}

result<NormalizedText> Normalizer::normalize(std::string_view text) const {
  if (is_ascii(text))
    return normalize_ascii(text);

  OPSGRAPH_TRY(icu::UnicodeString decoded, decode_utf8(text));
  NormalizedText out;
  const icu::UnicodeString visible = strip_invisible(std::move(decoded), out);
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString folded = nfkc_casefold_->normalize(visible, status);
  if (U_FAILURE(status))
    return fail(errc::internal, std::string("ICU normalisation: ") + u_errorName(status));

  if (has_lookalike(folded))
    folded = map_lookalikes(folded, out.lookalikes_mapped);
  folded.toUTF8String(out.text);
  return out;
}

bool Normalizer::has_lookalike(const icu::UnicodeString& text) const {
  for (int32_t i = 0; i < text.length(); ++i) {
    // Every lookalike is a BMP letter from U+0370 on; surrogates never are.
    const char16_t unit = text.charAt(i);
    if (unit >= 0x370 && lookalikes_.contains(unit))
      return true;
  }
  return false;
}

// Maps lookalikes word by word, and only in words that also hold Latin letters: a word written
// wholly in Cyrillic or Greek is that language, not a disguise. Every lookalike is one BMP unit
// mapped to one ASCII letter, so the replacement happens in place.
icu::UnicodeString Normalizer::map_lookalikes(const icu::UnicodeString& text,
                                              std::size_t& mapped_count) const {
  std::u16string units(text.getBuffer(), static_cast<std::size_t>(text.length()));
  const auto length = static_cast<int32_t>(units.size());
  int32_t i = 0;
  while (i < length) {
    const int32_t word_start = i;
    int32_t next = i;
    bool has_latin = false;
    bool has_lookalike = false;
    while (i < length) {
      UChar32 c = 0;
      next = i;
      U16_NEXT(units.data(), next, length, c);
      if (!is_word_part(c))
        break;
      has_latin |= is_latin(c);
      has_lookalike |= c >= 0x370 && lookalikes_.contains(c);
      i = next;
    }
    if (has_latin && has_lookalike) {
      for (auto k = static_cast<std::size_t>(word_start); k < static_cast<std::size_t>(i); ++k) {
        auto found = lookalikes_.find(units[k]);
        if (found != lookalikes_.end()) {
          units[k] = static_cast<char16_t>(found->second);
          ++mapped_count;
        }
      }
    }
    if (i == word_start)
      i = next;  // a character between words
  }
  return icu::UnicodeString(units.data(), length);
}

}  // namespace opsgraph::router::detail

namespace opsgraph::router {

result<TextNormalizer> TextNormalizer::create() {
  OPSGRAPH_TRY(detail::Normalizer normalizer, detail::Normalizer::create());
  return TextNormalizer(std::make_shared<const detail::Normalizer>(std::move(normalizer)));
}

result<NormalizedText> TextNormalizer::normalize(std::string_view text) const {
  try {
    return impl_->normalize(text);
  } catch (...) {
    return fail(error_from_current_exception("TextNormalizer::normalize"));
  }
}

}  // namespace opsgraph::router
