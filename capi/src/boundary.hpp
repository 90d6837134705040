#pragma once
// The one boundary every C entry point goes through: the calling thread's last error, the
// catch-all funnel that turns any exception or Error into a status, the checks of the arguments
// every call shares (NULL, UTF-8, option struct sizes) and the strings handed to the caller.

// The header carries no export macros (cffi parses it as is): its declarations get default
// visibility here, everything else in the library stays hidden under -fvisibility=hidden.
#pragma GCC visibility push(default)
#include <opsgraph.h>
#pragma GCC visibility pop

#include <cstddef>
#include <cstring>
#include <opsgraph/core/error.hpp>
#include <opsgraph/core/log.hpp>
#include <opsgraph/core/result.hpp>
#include <string>
#include <string_view>
#include <utility>

namespace opsgraph::capi {

/// Resets the calling thread's last error to OPSGRAPH_OK.
void clear_last_error() noexcept;

/// Records `error` as the calling thread's last error and returns its status.
opsgraph_status set_error(const Error& error) noexcept;

/// A failure raised at the C boundary itself (NULL_ARGUMENT, INVALID_HANDLE, ...).
opsgraph_status set_error(opsgraph_status status, std::string_view message) noexcept;

/// Records the exception in flight; call it only inside a catch block.
opsgraph_status fail_current_exception(std::string_view where) noexcept;

/// The logger of objects created through the C ABI (log.cpp).
Logger c_logger();

/// Runs `body` (returning opsgraph_status) with the last error reset, catching everything.
template <class Body>
opsgraph_status guarded(std::string_view where, Body&& body) noexcept {
  clear_last_error();
  try {
    return std::forward<Body>(body)();
  } catch (...) {
    return fail_current_exception(where);
  }
}

/// Whether `text` is well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
bool is_valid_utf8(std::string_view text) noexcept;

/// NULL_ARGUMENT naming `name` when `p` is NULL, OPSGRAPH_OK otherwise.
inline opsgraph_status require(const void* p, std::string_view name) noexcept {
  if (p == nullptr)
    return set_error(OPSGRAPH_NULL_ARGUMENT, std::string(name) + " is NULL");
  return OPSGRAPH_OK;
}

/// require() plus INVALID_UTF8 when the text is not UTF-8.
opsgraph_status require_utf8(const char* text, std::string_view name) noexcept;

/// A malloc'ed NUL-terminated copy for the caller, freed by opsgraph_string_free().
char* copy_out(std::string_view text);

/// `{"schema_version":N,` + the members of the JSON object `object_json`.
std::string with_schema_version(std::string_view object_json);

/// The text of an optional C string: "" for NULL.
inline std::string_view text_or_empty(const char* s) noexcept {
  return s ? s : std::string_view();
}

/// Checks an option struct's first field against the sizes this library knows.
opsgraph_status check_struct_size(std::size_t given, std::size_t known, std::string_view name);

}  // namespace opsgraph::capi
