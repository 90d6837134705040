#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <memory>
#include <string>

#include "safety/tools.hpp"

namespace opsgraph::safety::detail {
namespace {

bool is_executable_file(const std::string& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode) &&
         ::access(path.c_str(), X_OK) == 0;
}

std::string real_path(const std::string& path) {
  std::unique_ptr<char, decltype(&std::free)> resolved(::realpath(path.c_str(), nullptr),
                                                       &std::free);
  return resolved ? std::string(resolved.get()) : path;
}

std::string find_in_path(std::string_view name) {
  const char* path = std::getenv("PATH");
  std::string_view dirs = path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin";
  while (!dirs.empty()) {
    const std::size_t colon = dirs.find(':');
    const std::string_view dir = dirs.substr(0, colon);
    dirs = colon == std::string_view::npos ? std::string_view() : dirs.substr(colon + 1);
    if (dir.empty() || dir[0] != '/')
      continue;  // relative PATH entries depend on the working directory: never trusted
    const std::string candidate = std::string(dir) + "/" + std::string(name);
    if (is_executable_file(candidate))
      return real_path(candidate);
  }
  return {};
}

// An explicit path is used as given (made absolute); nullopt searches; "" disables the tool.
std::string resolve(const std::optional<std::string>& configured, std::string_view name) {
  if (!configured)
    return find_in_path(name);
  if (configured->empty())
    return {};
  if ((*configured)[0] != '/')
    return find_in_path(*configured);
  return real_path(*configured);  // as given: a missing program is reported when it is run
}

bool is_script_wrapper(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char magic[2] = {};
  in.read(magic, 2);
  return in.gcount() == 2 && magic[0] == '#' && magic[1] == '!';
}

// A wrapper (pyenv's shim is a bash script that costs ~100 ms per run) is asked once for the
// interpreter it would start.
std::string unwrap_python(const std::string& path, const ProcessRunner& runner) {
  if (path.empty() || !is_script_wrapper(path))
    return path;
  ProcessRequest request;
  request.argv = {path, "-I", "-S", "-c", "import sys; print(sys.executable)"};
  request.timeout = std::chrono::seconds(10);
  auto ran = runner.run(request);
  if (!ran || ran.value().exit_code != 0)
    return path;
  std::string executable = ran.value().stdout_text;
  while (!executable.empty() && (executable.back() == '\n' || executable.back() == '\r'))
    executable.pop_back();
  return !executable.empty() && executable[0] == '/' && is_executable_file(executable)
             ? real_path(executable)
             : path;
}

std::string shellcheck_name(const std::string& path, const ProcessRunner& runner) {
  ProcessRequest request;
  request.argv = {path, "--version"};
  request.timeout = std::chrono::seconds(10);
  auto ran = runner.run(request);
  if (ran && ran.value().exit_code == 0) {
    const std::string& text = ran.value().stdout_text;
    const std::size_t at = text.find("version: ");
    if (at != std::string::npos) {
      const std::size_t start = at + 9;
      const std::size_t end = text.find_first_of("\r\n", start);
      return "shellcheck " + text.substr(start, end == std::string::npos ? end : end - start);
    }
  }
  return "shellcheck";
}

}  // namespace

Tools resolve_tools(const ScriptCheckerOptions& options, const ProcessRunner& runner) {
  Tools tools;
  tools.bash = resolve(options.bash_path, "bash");
  if (!options.python_path && is_executable_file("/usr/bin/python3")) {
    tools.python = real_path("/usr/bin/python3");
  } else {
    tools.python = unwrap_python(resolve(options.python_path, "python3"), runner);
  }
  tools.shellcheck = resolve(options.shellcheck_path, "shellcheck");
  tools.pwsh = resolve(options.pwsh_path, "pwsh");
  if (!tools.shellcheck.empty())
    tools.shellcheck_name = shellcheck_name(tools.shellcheck, runner);
  return tools;
}

}  // namespace opsgraph::safety::detail
