#pragma once
// Splits a PowerShell script into pipelines of statements of tokens: comments and block comments
// dropped, backtick escapes and line continuations undone (`In`v`oke` reads Invoke), strings and
// here-strings unquoted, adjacent string concatenations joined. Private to src/safety.

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace opsgraph::safety::detail {

struct PsToken {
  enum class Kind { word, string, variable, punctuation };
  Kind kind = Kind::word;
  /// Words as written; strings without their quotes; variables as their lower-case name without
  /// `$` ("x", "env:path"); punctuation as one of ( ) [ ] { } , = + @ &. A view of the source, or
  /// of text the lexer rebuilt (unquoted, unescaped, lower-cased), valid until lex_powershell
  /// returns.
  std::string_view text;
  std::uint32_t origin = 0;
  /// A "..." string or @"..."@ here-string, in which $variables expand.
  bool expandable = false;
};

using PsStatement = std::vector<PsToken>;
/// Valid while the callback runs: the lexer reuses the statements' storage for the next pipeline
/// (the tokens' text stays valid until lex_powershell returns).
using PsPipeline = std::span<const PsStatement>;

/// Calls `on_pipeline` for each pipeline of `source`, in script order. Statements end at a newline
/// (outside brackets), `;`, `{`, `}`, `&&` and `||`; `|` separates the statements of a pipeline.
void lex_powershell(std::string_view source,
                    const std::function<void(const PsPipeline&)>& on_pipeline);

}  // namespace opsgraph::safety::detail
