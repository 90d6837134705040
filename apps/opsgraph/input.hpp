#pragma once
// Reading a command's input: a file name, or "-" for standard input.

#include <opsgraph/core/result.hpp>
#include <string>

namespace opsgraph::cli {

/// The whole content of `path`, or of standard input when `path` is "-". Inputs larger than
/// `max_bytes` are refused rather than truncated.
result<std::string> read_input(const std::string& path, std::size_t max_bytes);

}  // namespace opsgraph::cli
