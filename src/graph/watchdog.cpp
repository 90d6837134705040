#include "graph/watchdog.hpp"

#include <algorithm>

#include "graph/execute.hpp"
#include "graph/node_runner.hpp"

namespace opsgraph::graph::detail {

namespace {

void on_watchdog(const std::shared_ptr<ActiveRun>& run) {
  run->watchdog_due.reset();
  if (run->finished || run->cancel_flag)
    return;
  const auto now = std::chrono::steady_clock::now();
  if (run->expires && *run->expires <= now) {
    stop_run(*run, make_error(errc::timeout, "run " + run->run_id + " passed its deadline"));
    return;
  }
  std::optional<SteadyTime> next = run->expires;
  // Cancelling may complete work that unregisters itself: iterate over a copy.
  auto live = run->live;
  for (auto& work : live) {
    if (!work->expires)
      continue;
    if (*work->expires <= now) {
      work->expires.reset();
      work->timed_out = true;
      cancel_within(*run, work->path);  // the attempt and whatever it started inside
    } else {
      next = next ? std::min(*next, *work->expires) : *work->expires;
    }
  }
  if (next)
    watch_until(run, *next);
}

}  // namespace

void watch_until(const std::shared_ptr<ActiveRun>& run, SteadyTime at) {
  if (run->watchdog_due && *run->watchdog_due <= at)
    return;
  if (!run->watchdog)
    run->watchdog.emplace(run->strand);
  run->watchdog_due = at;
  // Re-arming aborts the wait armed before, if any; a handler already queued finds the run as it
  // is and re-arms for what remains, so a stray wake-up costs one look.
  run->watchdog->expires_at(at);
  // Weak: the timer lives in the run, and a run that has ended must not be kept for a deadline.
  run->watchdog->async_wait([weak = std::weak_ptr<ActiveRun>(run)](boost::system::error_code ec) {
    if (ec)
      return;
    if (auto run = weak.lock())
      on_watchdog(run);
  });
}

}  // namespace opsgraph::graph::detail
