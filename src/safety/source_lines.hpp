#pragma once
// SourceLines — line and column lookups into the original script, and the excerpts findings
// quote. Holds a view: the script must outlive it. Private to src/safety.

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace opsgraph::safety::detail {

/// Longest excerpt a finding quotes, in bytes.
inline constexpr std::size_t kMaxExcerptBytes = 160;

class SourceLines {
 public:
  explicit SourceLines(std::string_view source) : source_(source) {
    starts_.push_back(0);
    for (std::size_t at = source.find('\n'); at != std::string_view::npos;
         at = source.find('\n', at + 1))
      starts_.push_back(at + 1);
  }

  std::size_t line_count() const noexcept { return starts_.size(); }

  /// The 1-based line holding byte `offset` (offsets past the end are on the last line).
  std::size_t line_of(std::size_t offset) const noexcept {
    const auto after = std::upper_bound(starts_.begin(), starts_.end(), offset);
    return static_cast<std::size_t>(after - starts_.begin());
  }

  /// The 1-based column of byte `offset`, counted in UTF-8 characters.
  std::size_t column_of(std::size_t offset) const noexcept {
    offset = std::min(offset, source_.size());
    const std::size_t start = starts_[line_of(offset) - 1];
    std::size_t column = 1;
    for (std::size_t i = start; i < offset; ++i)
      column += (static_cast<unsigned char>(source_[i]) & 0xC0) != 0x80 ? 1 : 0;
    return column;
  }

  /// The text of 1-based `line`, without its newline; empty outside the script.
  std::string_view text(std::size_t line) const noexcept {
    if (line == 0 || line > starts_.size())
      return {};
    const std::size_t start = starts_[line - 1];
    std::size_t end = line < starts_.size() ? starts_[line] - 1 : source_.size();
    if (end > start && source_[end - 1] == '\r')
      --end;
    return source_.substr(start, end - start);
  }

  /// `line` trimmed of blanks, cut to kMaxExcerptBytes on a character boundary.
  std::string excerpt(std::size_t line) const {
    std::string_view text = this->text(line);
    const std::size_t first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos)
      return {};
    text = text.substr(first, text.find_last_not_of(" \t") - first + 1);
    if (text.size() > kMaxExcerptBytes) {
      std::size_t cut = kMaxExcerptBytes;
      while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
        --cut;
      text = text.substr(0, cut);
    }
    return std::string(text);
  }

 private:
  std::string_view source_;
  std::vector<std::size_t> starts_;
};

}  // namespace opsgraph::safety::detail
