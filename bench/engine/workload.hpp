#pragma once
// The workload of the engine benchmarks: issue 6's four-call IT task (plan, diagnosis, script,
// email), nine in ten a low-risk CPU diagnosis with a PowerShell script and one in ten a gated
// production firewall change in Azure CLI; the canned answers of each agent; an instant
// in-process provider; and a harness that keeps tasks in flight, approves gated ones as soon as
// they wait and records each task's latency.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <opsgraph/core/json_value.hpp>
#include <opsgraph/engine/engine.hpp>
#include <opsgraph/llm/provider.hpp>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

namespace opsgraph::bench {

/// What the system prompts of the built-in agents contain.
inline constexpr const char* kPlannerMarker = "opsgraph planner";
inline constexpr const char* kDiagnosticMarker = "opsgraph diagnostic";
inline constexpr const char* kAutomationMarker = "opsgraph automation";
inline constexpr const char* kWriterMarker = "opsgraph writer";
/// The automation agent's input names the language; Azure CLI tasks get the Azure answer.
inline constexpr const char* kAzureMarker = "azurecli";

/// The low-risk request (PowerShell) and the gated one (Azure CLI, production firewall).
inline constexpr const char* kCpuRequest =
    "Diagnose why Windows Server 2019 VM cpu01 hits 95%+ CPU, generate a PowerShell script to "
    "collect perfmon logs, and draft an email to management summarising findings.";
inline constexpr const char* kFirewallRequest =
    "Create Azure CLI commands to lock RDP (3389) on my three production VMs to 10.0.0.0/24 and "
    "pause for approval before outputting the commands.";

/// Schema-valid answers of the four agents.
json::Value plan_answer();
json::Value diagnosis_answer();
json::Value powershell_answer();
json::Value azure_cli_answer();
json::Value documents_answer();

/// Task `index` of a run: every `gated_every`-th one is the firewall change, the rest the CPU
/// diagnosis.
engine::ExecuteRequest request_for(std::size_t index, std::size_t gated_every);

/// An llm::Provider that answers at once from memory: the agent is told by its system prompt,
/// the usage is filled, and the time spent inside chat() is tallied so that benchmarks can
/// subtract it. Thread-safe.
class InstantProvider final : public llm::Provider {
 public:
  InstantProvider();
  std::string_view name() const noexcept override { return "instant"; }
  std::uint64_t calls() const noexcept { return calls_.load(); }
  std::chrono::nanoseconds time_inside() const noexcept {
    return std::chrono::nanoseconds{nanos_.load()};
  }

 private:
  Task<result<llm::ChatResponse>> do_chat(llm::ChatRequest request, llm::CallHooks hooks) override;
  const std::string& answer_for(const llm::ChatRequest& request) const;

  std::string plan_, diagnosis_, powershell_, azure_, documents_;
  std::atomic<std::uint64_t> calls_{0};
  std::atomic<std::int64_t> nanos_{0};
};

/// Drives tasks through an engine: execute() stamps the start, a subscription sees each task's
/// status events, a thread approves tasks as soon as they wait for approval, and finished tasks'
/// latencies are kept. Thread-safe; destroy it before the engine.
class Harness {
 public:
  using Clock = std::chrono::steady_clock;
  explicit Harness(engine::Engine& engine);
  ~Harness();
  Harness(const Harness&) = delete;
  Harness& operator=(const Harness&) = delete;

  /// Executes `request`; false (and the error in last_error()) when the engine refused it.
  bool submit(const engine::ExecuteRequest& request);
  /// Blocks until at least `count` tasks have finished since the harness began.
  void wait_finished(std::size_t count);
  /// Blocks until fewer than `limit` submitted tasks are unfinished.
  void wait_below(std::size_t limit);

  std::size_t finished() const;
  std::size_t failed() const noexcept { return failed_.load(); }
  std::size_t approvals() const noexcept { return approvals_.load(); }
  std::string last_error() const;
  /// The latencies (execute to final status) of the finished tasks, in finishing order, and
  /// when each finished.
  std::vector<std::chrono::nanoseconds> latencies() const;
  std::vector<Clock::time_point> finish_times() const;

 private:
  void on_event(const engine::TaskEvent& event);
  // Counts a finished task and wakes the submitter; mutex_ held.
  void count_finished();
  void approve_loop();

  engine::Engine& engine_;
  mutable std::mutex mutex_;
  // A gated task wakes the approver; a finishing one, the submitter, through a counter rather
  // than a condition: waking from a condition re-takes the mutex, a second hand-off between the
  // threads that the engine's own figures would carry.
  std::condition_variable to_approve_changed_;
  std::atomic<std::size_t> finished_count_{0};
  std::unordered_map<std::string, Clock::time_point> started_;
  // Final status events that arrived before execute() returned the id.
  std::unordered_map<std::string, Clock::time_point> early_;
  std::vector<std::chrono::nanoseconds> latencies_;
  std::vector<Clock::time_point> finish_times_;
  std::deque<std::string> to_approve_;
  std::string last_error_;
  bool stopping_ = false;
  std::atomic<std::size_t> failed_{0};
  std::atomic<std::size_t> approvals_{0};
  std::thread approver_;
  engine::Subscription subscription_;
};

/// A percentile (0..100) of `values` by nearest rank; 0 when empty.
double percentile(std::vector<double> values, double p);
/// The median of `values`.
double median(std::vector<double> values);
/// The process's peak resident set since it started or since start_new_peak(), in MiB.
double peak_rss_mib();
/// Waits (up to 10 s) until the memory freed so far has been handed back to the system, then
/// starts peak_rss_mib() afresh: each of several runs in one process gets a peak of its own.
void start_new_peak();
/// The process's user + system CPU time so far.
std::chrono::nanoseconds process_cpu_time();
/// The part of it the kernel spent on the process's behalf (system calls, page faults, switches
/// between threads): large on a virtual machine.
std::chrono::nanoseconds process_system_time();

}  // namespace opsgraph::bench
