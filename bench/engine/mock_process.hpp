#pragma once
// The mock LLM server as a process of its own (opsgraph-mock-llm), so that a load run measures the
// engine's process alone — its RSS and its CPU — while the server it calls runs beside it, as a
// real LLM endpoint would. Start it before the benchmark starts any thread.

#include <sys/types.h>

#include <chrono>
#include <opsgraph/core/result.hpp>
#include <string>

namespace opsgraph::bench {

class MockProcess {
 public:
  /// Runs `program --rules <rules_file> --print-port --threads 1` and waits for its port.
  /// Errors: internal (it could not be started, or exited before printing a port).
  static result<MockProcess> start(const std::string& program, const std::string& rules_file);

  MockProcess(MockProcess&& other) noexcept;
  MockProcess& operator=(MockProcess&&) = delete;
  MockProcess(const MockProcess&) = delete;
  /// Stops the server (SIGTERM) and reaps it.
  ~MockProcess();

  const std::string& base_url() const noexcept { return base_url_; }
  /// The server's user + system CPU time so far (from /proc; zero when it cannot be read).
  std::chrono::nanoseconds cpu_time() const;

 private:
  MockProcess(pid_t pid, std::string base_url) : pid_(pid), base_url_(std::move(base_url)) {}

  pid_t pid_ = -1;
  std::string base_url_;
};

}  // namespace opsgraph::bench
