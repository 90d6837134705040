#include "workload.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <opsgraph/core/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>

#include "support/canned_answers.hpp"

namespace opsgraph::bench {
namespace {

json::Value parsed(std::string_view text) {
  auto value = json::parse(text);
  if (!value)
    throw std::runtime_error("bench/engine: a canned answer does not parse: " +
                             value.error().message);
  return std::move(value).value();
}

bool contains(std::string_view text, std::string_view marker) {
  return text.find(marker) != std::string_view::npos;
}

}  // namespace

json::Value plan_answer() {
  return parsed(testing::canned::kPlan);
}

json::Value diagnosis_answer() {
  return parsed(testing::canned::kDiagnosis);
}

json::Value powershell_answer() {
  return parsed(testing::canned::kPowerShellScript);
}

json::Value azure_cli_answer() {
  return parsed(testing::canned::kAzureCliScript);
}

json::Value documents_answer() {
  return parsed(testing::canned::kDocuments);
}

engine::ExecuteRequest request_for(std::size_t index, std::size_t gated_every) {
  engine::ExecuteRequest request;
  const bool gated = gated_every > 0 && index % gated_every == gated_every - 1;
  request.request = gated ? kFirewallRequest : kCpuRequest;
  request.language = gated ? safety::Language::azurecli : safety::Language::powershell;
  request.require_approval = false;
  request.requester = "bench";
  return request;
}

InstantProvider::InstantProvider()
    : plan_(json::dump(plan_answer())),
      diagnosis_(json::dump(diagnosis_answer())),
      powershell_(json::dump(powershell_answer())),
      azure_(json::dump(azure_cli_answer())),
      documents_(json::dump(documents_answer())) {}

const std::string& InstantProvider::answer_for(const llm::ChatRequest& request) const {
  std::string_view system, user;
  for (const auto& m : request.messages) {
    if (m.role == llm::Role::system)
      system = m.content;
    else if (m.role == llm::Role::user)
      user = m.content;
  }
  if (contains(system, kPlannerMarker))
    return plan_;
  if (contains(system, kDiagnosticMarker))
    return diagnosis_;
  if (contains(system, kAutomationMarker))
    return contains(user, kAzureMarker) ? azure_ : powershell_;
  return documents_;
}

Task<result<llm::ChatResponse>> InstantProvider::do_chat(llm::ChatRequest request, llm::CallHooks) {
  const auto start = std::chrono::steady_clock::now();
  llm::ChatResponse response;
  response.content = answer_for(request);
  response.finish_reason = "stop";
  response.model = "instant";
  response.id = "instant";
  std::int64_t prompt = 0;
  for (const auto& m : request.messages)
    prompt += static_cast<std::int64_t>(m.content.size() / 4);
  response.usage.prompt_tokens = prompt;
  response.usage.completion_tokens = static_cast<std::int64_t>(response.content.size() / 4);
  response.usage.total_tokens = prompt + response.usage.completion_tokens;
  calls_.fetch_add(1);
  nanos_.fetch_add((std::chrono::steady_clock::now() - start).count());
  co_return response;
}

Harness::Harness(engine::Engine& engine) : engine_(engine) {
  approver_ = std::thread([this] { approve_loop(); });
  subscription_ = engine_.subscribe("", [this](const engine::TaskEvent& e) { on_event(e); });
}

Harness::~Harness() {
  subscription_.reset();
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  to_approve_changed_.notify_all();
  approver_.join();
}

bool Harness::submit(const engine::ExecuteRequest& request) {
  const auto start = Clock::now();
  auto task = engine_.execute(request);
  std::lock_guard lock(mutex_);
  if (!task) {
    last_error_ = task.error().message;
    return false;
  }
  const auto& id = task.value().task_id;
  if (auto early = early_.find(id); early != early_.end()) {
    latencies_.push_back(early->second - start);
    finish_times_.push_back(early->second);
    early_.erase(early);
    count_finished();
  } else {
    started_.emplace(id, start);
  }
  return true;
}

void Harness::on_event(const engine::TaskEvent& event) {
  if (event.type != "status")
    return;
  auto data = json::parse(event.data);
  if (!data)
    return;
  const auto* status = data.value().find("status");
  if (!status || !status->is_string())
    return;
  const std::string_view word = *status->if_string();
  const auto now = Clock::now();
  std::lock_guard lock(mutex_);
  if (word == "waiting_approval") {
    to_approve_.push_back(event.task_id);
    to_approve_changed_.notify_one();
    return;
  }
  if (word != "completed" && word != "failed" && word != "rejected" && word != "cancelled")
    return;
  if (word != "completed")
    failed_.fetch_add(1);
  auto it = started_.find(event.task_id);
  if (it == started_.end()) {
    early_.emplace(event.task_id, now);
    return;
  }
  latencies_.push_back(now - it->second);
  finish_times_.push_back(now);
  started_.erase(it);
  count_finished();
}

void Harness::count_finished() {
  finished_count_.fetch_add(1);
  finished_count_.notify_all();
}

void Harness::approve_loop() {
  std::unique_lock lock(mutex_);
  for (;;) {
    to_approve_changed_.wait(lock, [&] { return stopping_ || !to_approve_.empty(); });
    if (stopping_)
      return;
    auto id = std::move(to_approve_.front());
    to_approve_.pop_front();
    lock.unlock();
    engine::ApproveRequest approve;
    approve.actor = "bench-approver";
    auto approved = engine_.approve(id, approve);
    lock.lock();
    if (approved)
      approvals_.fetch_add(1);
    else
      last_error_ = approved.error().message;
  }
}

void Harness::wait_finished(std::size_t count) {
  for (auto seen = finished_count_.load(); seen < count; seen = finished_count_.load())
    finished_count_.wait(seen);
}

void Harness::wait_below(std::size_t limit) {
  for (;;) {
    const auto seen = finished_count_.load();
    {
      std::lock_guard lock(mutex_);
      if (started_.size() < limit)
        return;
    }
    finished_count_.wait(seen);  // returns at once if a task finished meanwhile
  }
}

std::size_t Harness::finished() const {
  std::lock_guard lock(mutex_);
  return latencies_.size();
}

std::string Harness::last_error() const {
  std::lock_guard lock(mutex_);
  return last_error_;
}

std::vector<std::chrono::nanoseconds> Harness::latencies() const {
  std::lock_guard lock(mutex_);
  return latencies_;
}

std::vector<Harness::Clock::time_point> Harness::finish_times() const {
  std::lock_guard lock(mutex_);
  return finish_times_;
}

double percentile(std::vector<double> values, double p) {
  if (values.empty())
    return 0;
  std::sort(values.begin(), values.end());
  const auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * values.size()));
  return values[std::clamp<std::size_t>(rank, 1, values.size()) - 1];
}

double median(std::vector<double> values) {
  return percentile(std::move(values), 50);
}

namespace {

// A "Name:   123 kB" line of /proc/self/status, in MiB; nullopt when there is none.
std::optional<double> status_mib(std::string_view name) {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.starts_with(name) && line.size() > name.size() && line[name.size()] == ':')
      return std::strtod(line.c_str() + name.size() + 1, nullptr) / 1024.0;
  }
  return std::nullopt;
}

std::chrono::nanoseconds as_ns(const timeval& t) {
  return std::chrono::seconds{t.tv_sec} + std::chrono::microseconds{t.tv_usec};
}

rusage own_usage() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  return usage;
}

}  // namespace

double peak_rss_mib() {
  if (auto peak = status_mib("VmHWM"))
    return *peak;
  return static_cast<double>(own_usage().ru_maxrss) / 1024.0;
}

void start_new_peak() {
  // The allocator hands the pages of what was freed back over a few seconds (jemalloc's decay):
  // wait until the resident set stops falling, so that they do not count in the next peak.
  using namespace std::chrono_literals;
  auto before = status_mib("VmRSS");
  for (int second = 0; second < 10 && before; ++second) {
    std::this_thread::sleep_for(1s);
    const auto now = status_mib("VmRSS");
    if (!now || *before - *now < 1.0)
      break;
    before = now;
  }
  // Writing 5 restarts the kernel's high-water mark (VmHWM) from the present resident set.
  std::ofstream("/proc/self/clear_refs") << "5";
}

std::chrono::nanoseconds process_cpu_time() {
  const auto usage = own_usage();
  return as_ns(usage.ru_utime) + as_ns(usage.ru_stime);
}

std::chrono::nanoseconds process_system_time() {
  return as_ns(own_usage().ru_stime);
}

}  // namespace opsgraph::bench
