// The engine's worker thread: claims runnable tasks while there is capacity, starts their runs on
// the executor, renews the leases of the tasks it holds, and erases the checkpoints of finished
// tasks that waited for a batch long enough. It sleeps until woken (a task was queued or a run
// ended here and the store blocks, or the store heard of work from another process), until the
// poll interval passes (work from other processes when the store cannot tell, expired leases), or
// until leases are due for renewal. With a store that does not block, work queued here is claimed
// at once by whoever queued it (look_for_work).

#include <algorithm>
#include <opsgraph/core/json.hpp>

#include "engine_impl.hpp"

namespace opsgraph::engine {

void HeldTasks::add(const std::string& id, std::uint64_t token, SteadyTime sure_until) {
  std::lock_guard lock(mutex_);
  held_[id] = Held{token, sure_until};
}

void HeldTasks::renewed(const std::string& id, std::uint64_t token, SteadyTime sure_until) {
  std::lock_guard lock(mutex_);
  if (auto it = held_.find(id); it != held_.end() && it->second.token == token)
    it->second.sure_until = sure_until;
}

void HeldTasks::remove(const std::string& id, std::uint64_t token) {
  std::lock_guard lock(mutex_);
  if (auto it = held_.find(id); it != held_.end() && it->second.token == token)
    held_.erase(it);
}

std::optional<std::uint64_t> HeldTasks::token_of(std::string_view id) const {
  std::lock_guard lock(mutex_);
  auto it = held_.find(id);
  if (it == held_.end())
    return std::nullopt;
  return it->second.token;
}

bool HeldTasks::surely_held(std::string_view id, SteadyTime at) const {
  std::lock_guard lock(mutex_);
  auto it = held_.find(id);
  return it != held_.end() && at < it->second.sure_until;
}

std::vector<std::pair<std::string, std::uint64_t>> HeldTasks::all() const {
  std::lock_guard lock(mutex_);
  std::vector<std::pair<std::string, std::uint64_t>> out;
  out.reserve(held_.size());
  for (const auto& [id, held] : held_)
    out.emplace_back(id, held.token);
  return out;
}

std::size_t HeldTasks::size() const {
  std::lock_guard lock(mutex_);
  return held_.size();
}

namespace {

// How long after asking for a lease this engine counts on it without looking: most of the lease,
// leaving a quarter for the clocks' drift and the write in flight.
HeldTasks::SteadyTime lease_sure_until(HeldTasks::SteadyTime asked, std::chrono::milliseconds ttl) {
  return asked + ttl * 3 / 4;
}

}  // namespace

bool detail::EngineCore::is_announcing(std::string_view task_id) {
  std::lock_guard lock(announcing_mutex);
  return announcing.find(task_id) != announcing.end();
}

void detail::EngineCore::wake_worker() {
  {
    std::lock_guard lock(worker_mutex);
    nudged = true;
  }
  worker_wake.notify_one();
}

void detail::EngineCore::look_for_work() {
  if (!options.run_tasks)
    return;
  if (store().blocking()) {
    wake_worker();
    return;
  }
  claim_while_capacity();
}

void detail::EngineCore::worker_loop() {
  // Destroyed when the loop ends, before the engine's members that wake_worker() uses.
  const auto watch = store().watch_work([this] { wake_worker(); });
  const auto renew_every = std::max(options.lease_ttl / 3, std::chrono::milliseconds{1});
  auto next_renewal = std::chrono::steady_clock::now() + renew_every;
  while (!stopping.load()) {
    claim_while_capacity();
    if (std::chrono::steady_clock::now() >= next_renewal) {
      renew_leases();
      next_renewal = std::chrono::steady_clock::now() + renew_every;
    }
    // A batch that filled up was erased by whoever filled it; one that waited a poll is erased.
    finished_runs.flush_if_older_than(std::chrono::steady_clock::now() - options.poll_interval);
    std::unique_lock lock(worker_mutex);
    const auto wake_at =
        std::min(next_renewal, std::chrono::steady_clock::now() + options.poll_interval);
    worker_wake.wait_until(lock, wake_at, [&] { return nudged || stopping.load(); });
    nudged = false;
  }
}

void detail::EngineCore::claim_while_capacity() {
  while (!stopping.load()) {
    // The place is taken before the claim, and only while there is one: claims on several
    // threads never pass the limit, not even for a moment.
    for (auto taken = running.load();;) {
      if (taken >= options.max_running_tasks)
        return;
      if (running.compare_exchange_weak(taken, taken + 1))
        break;
    }
    const auto asked = std::chrono::steady_clock::now();
    auto claimed = store().claim(worker_id, options.lease_ttl);
    if (!claimed || !claimed.value()) {
      running.fetch_sub(1);
      if (!claimed)
        options.logger.warn("engine", "claiming work failed", {{"error", claimed.error().message}});
      return;
    }
    auto record = std::move(*claimed.value());
    const bool first_claim = record.version == kFirstClaimVersion;
    auto kept = fresh.take(record.id, record.version);
    // The task runs now: say so before its first step, so status() never shows a held task as
    // queued. A lost race here (a decision, a cancel) is settled by the run itself.
    if (record.status == "queued") {
      record.status = "in_progress";
      if (auto updated = store().update(record, record.version))
        record = std::move(updated).value();
    }
    spawn(runtime->executor(),
          drive(std::move(record), lease_sure_until(asked, options.lease_ttl), first_claim,
                kept ? std::move(*kept) : nullptr),
          [this](std::exception_ptr) {
            options.logger.error("engine", "a task's run threw; this is a bug");
          });
  }
}

void detail::EngineCore::renew_leases() {
  for (const auto& [id, token] : held.all()) {
    const auto asked = std::chrono::steady_clock::now();
    auto renewed = store().renew(id, token, options.lease_ttl);
    if (renewed)
      held.renewed(id, token, lease_sure_until(asked, options.lease_ttl));
    if (!renewed &&
        (renewed.error().code == errc::conflict || renewed.error().code == errc::not_found)) {
      // Another worker took the task (this one stalled past its lease): stop running it.
      options.logger.warn("engine", "lost the lease of a running task", {{"task", id}});
      (void)runner->cancel(id);
    }
  }
}

void detail::EngineCore::record_event(std::string_view task_id, std::string_view type,
                                      const json::Value& data) {
  auto appended = store().append_event(task_id, type, json::dump(data));
  if (!appended) {
    options.logger.warn("engine", "could not record an event",
                        {{"task", task_id}, {"type", type}, {"error", appended.error().message}});
    return;
  }
  notifier.publish(appended.value());
}

result<store::TaskRecord> detail::EngineCore::update_task(store::TaskRecord record,
                                                          std::uint64_t expected_version,
                                                          std::span<const store::NewEvent> events) {
  OPSGRAPH_TRY(auto updated,
               store().update_with_events(std::move(record), expected_version, events));
  for (const auto& event : updated.events)
    notifier.publish(event);
  return std::move(updated.record);
}

}  // namespace opsgraph::engine
