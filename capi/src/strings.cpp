// Text crossing the C boundary: UTF-8 validation of what comes in, malloc'ed copies of what goes
// out (one free function, opsgraph_string_free), and the version queries.

#include <cstdlib>
#include <new>
#include <string>

#include "boundary.hpp"

namespace opsgraph::capi {

bool is_valid_utf8(std::string_view text) noexcept {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    const unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t length = 0;
    unsigned char low = 0x80;
    unsigned char high = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      length = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      length = 3;
      if (c == 0xE0)
        low = 0xA0;  // overlong
      if (c == 0xED)
        high = 0x9F;  // surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      length = 4;
      if (c == 0xF0)
        low = 0x90;  // overlong
      if (c == 0xF4)
        high = 0x8F;  // past U+10FFFF
    } else {
      return false;
    }
    if (n - i < length)
      return false;
    if (s[i + 1] < low || s[i + 1] > high)
      return false;
    for (std::size_t k = 2; k < length; ++k) {
      if (s[i + k] < 0x80 || s[i + k] > 0xBF)
        return false;
    }
    i += length;
  }
  return true;
}

opsgraph_status require_utf8(const char* text, std::string_view name) noexcept {
  if (auto status = require(text, name); status != OPSGRAPH_OK)
    return status;
  if (!is_valid_utf8(text))
    return set_error(OPSGRAPH_INVALID_UTF8, std::string(name) + " is not valid UTF-8");
  return OPSGRAPH_OK;
}

char* copy_out(std::string_view text) {
  auto* out = static_cast<char*>(std::malloc(text.size() + 1));
  if (out == nullptr)
    throw std::bad_alloc();
  std::memcpy(out, text.data(), text.size());
  out[text.size()] = '\0';
  return out;
}

std::string with_schema_version(std::string_view object_json) {
  std::string out = "{\"schema_version\":" + std::to_string(OPSGRAPH_JSON_SCHEMA_VERSION);
  // object_json is "{...}": keep its members after ours.
  std::string_view members = object_json.substr(1);
  if (members != "}")
    out += ',';
  out += members;
  return out;
}

opsgraph_status check_struct_size(std::size_t given, std::size_t known, std::string_view name) {
  if (given == known)
    return OPSGRAPH_OK;
  return set_error(OPSGRAPH_UNSUPPORTED_STRUCT_SIZE,
                   std::string(name) + ".struct_size is " + std::to_string(given) +
                       ", this library knows " + std::to_string(known) +
                       " (call the _options_init() function with sizeof the struct)");
}

}  // namespace opsgraph::capi

extern "C" {

const char* opsgraph_version(void) {
  return OPSGRAPH_VERSION_STRING;
}

int opsgraph_abi_version(void) {
  return OPSGRAPH_ABI_VERSION;
}

void opsgraph_string_free(char* string) {
  std::free(string);
}

}  // extern "C"
