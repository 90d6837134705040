#pragma once
// The 1 KB checkpoint payload of one step, shared by the crash helper that writes it and the test
// that checks what survived: every step has different bytes, so a mixed-up row would show.

#include <cstdint>
#include <string>

namespace opsgraph::store::testing {

inline std::string checkpoint_payload(std::uint64_t step) {
  std::string data = "{\"step\":" + std::to_string(step) + ",\"pad\":\"";
  while (data.size() < 1022)
    data += static_cast<char>('a' + (data.size() + step) % 26);
  return data + "\"}";
}

}  // namespace opsgraph::store::testing
