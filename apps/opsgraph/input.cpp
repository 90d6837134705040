#include "input.hpp"

#include <fstream>
#include <iostream>
#include <istream>

namespace opsgraph::cli {
namespace {

result<std::string> read_stream(std::istream& in, const std::string& name, std::size_t max_bytes) {
  std::string content;
  char buffer[64 * 1024];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    content.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (content.size() > max_bytes) {
      return fail(make_error(errc::payload_too_large, name + " is larger than the limit of " +
                                                          std::to_string(max_bytes) + " bytes"));
    }
  }
  if (in.bad())
    return fail(make_error(errc::invalid_argument, "could not read " + name));
  return content;
}

}  // namespace

result<std::string> read_input(const std::string& path, std::size_t max_bytes) {
  if (path == "-")
    return read_stream(std::cin, "standard input", max_bytes);
  std::ifstream file(path, std::ios::binary);
  if (!file)
    return fail(make_error(errc::not_found, "cannot open " + path));
  return read_stream(file, path, max_bytes);
}

}  // namespace opsgraph::cli
