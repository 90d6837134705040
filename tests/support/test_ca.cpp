#include "support/test_ca.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "support/child_process.hpp"

namespace opsgraph::testing {

namespace {

constexpr auto kOpensslTimeout = std::chrono::seconds(30);

// posix_spawn takes a path, not a name: look openssl up in PATH as a shell would.
std::optional<std::string> find_openssl() {
  const char* path = std::getenv("PATH");
  std::stringstream folders(path ? path : "/usr/bin:/bin");
  std::string folder;
  while (std::getline(folders, folder, ':')) {
    auto candidate = std::filesystem::path(folder.empty() ? "." : folder) / "openssl";
    if (access(candidate.c_str(), X_OK) == 0)
      return candidate.string();
  }
  return std::nullopt;
}

bool run_openssl(const std::string& openssl, const std::vector<std::string>& args) {
  auto child = ChildProcess::spawn(openssl, args);
  if (!child)
    return false;
  // Drain stdout to end of output, so the child never blocks on a full pipe.
  while (child->read_line(kOpensslTimeout)) {
  }
  const int status = child->wait();
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    ADD_FAILURE() << "openssl " << args.front() << " failed with wait status " << status;
    return false;
  }
  return true;
}

}  // namespace

std::optional<TestCa> TestCa::create() {
  const auto openssl = find_openssl();
  if (!openssl) {
    ADD_FAILURE() << "the openssl CLI is not on PATH";
    return std::nullopt;
  }
  auto dir = std::make_unique<TempDir>();
  const auto file = [&](const char* name) { return dir->file(name); };
  {
    std::ofstream extensions(file("server.ext"));
    extensions << "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
                  "basicConstraints=CA:FALSE\n"
                  "keyUsage=critical,digitalSignature\n"
                  "extendedKeyUsage=serverAuth\n";
  }
  // `openssl <command...> <new EC P-256 key> <rest...>`.
  const auto with_new_key = [](std::vector<std::string> command,
                               const std::vector<std::string>& rest) {
    for (const char* arg : {"-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"})
      command.emplace_back(arg);
    command.insert(command.end(), rest.begin(), rest.end());
    return command;
  };
  const std::vector<std::vector<std::string>> steps{
      with_new_key({"req", "-x509"},
                   {"-keyout", file("ca.key"), "-out", file("ca.crt"), "-days", "2", "-subj",
                    "/CN=opsgraph test CA", "-addext", "basicConstraints=critical,CA:TRUE",
                    "-addext", "keyUsage=critical,keyCertSign,cRLSign"}),
      with_new_key({"req", "-new"}, {"-keyout", file("server.key"), "-out", file("server.csr"),
                                     "-subj", "/CN=localhost"}),
      {"x509", "-req", "-in", file("server.csr"), "-CA", file("ca.crt"), "-CAkey", file("ca.key"),
       "-CAcreateserial", "-out", file("server.crt"), "-days", "2", "-extfile", file("server.ext")},
  };
  for (const auto& args : steps) {
    if (!run_openssl(*openssl, args))
      return std::nullopt;
  }
  return TestCa(std::move(dir));
}

}  // namespace opsgraph::testing
