#include "graph/watchdog.hpp"

#include <algorithm>
#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <map>
#include <mutex>
#include <vector>

#include "graph/execute.hpp"
#include "graph/node_runner.hpp"

namespace opsgraph::graph::detail {

namespace {

// Stops what of `run` has expired and asks to be called again for what remains. On the run's
// strand.
void look_at(const std::shared_ptr<ActiveRun>& run) {
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
    run->env.watchdog->watch(run, *next);
}

}  // namespace

// Everything here is guarded by `mutex`, the runs' `watchdog_due` included. A pending wait holds
// the state weakly: the Watchdog may go while the wait's handler is queued.
struct Watchdog::State : std::enable_shared_from_this<State> {
  explicit State(const Executor& executor) : timer(executor) {}

  struct Due {
    const ActiveRun* key;  // which run, while `run` may have expired
    std::weak_ptr<ActiveRun> run;
  };

  // Makes the timer due at `at`. Re-arming aborts the wait armed before; a wait that completed
  // just before finds nothing due yet and leaves the new one in place.
  void arm(SteadyTime at) {
    armed = at;
    timer.expires_at(at);
    timer.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
      if (ec == boost::asio::error::operation_aborted)
        return;
      if (auto state = weak.lock())
        state->fire();
    });
  }

  void erase(const ActiveRun& run) {
    auto [first, last] = due.equal_range(*run.watchdog_due);
    for (auto it = first; it != last; ++it) {
      if (it->second.key == &run) {
        due.erase(it);
        return;
      }
    }
  }

  void fire() {
    std::vector<std::shared_ptr<ActiveRun>> to_look_at;
    {
      std::lock_guard lock(mutex);
      const auto now = std::chrono::steady_clock::now();
      while (!due.empty() && due.begin()->first <= now) {
        auto run = due.begin()->second.run.lock();
        due.erase(due.begin());
        if (run) {
          run->watchdog_due.reset();
          to_look_at.push_back(std::move(run));
        }
      }
      if (!armed || *armed <= now) {
        armed.reset();
        if (!due.empty())
          arm(due.begin()->first);
      }
    }
    for (auto& run : to_look_at) {
      auto strand = run->strand;
      boost::asio::post(strand, [run = std::move(run)] { look_at(run); });
    }
  }

  std::mutex mutex;
  boost::asio::steady_timer timer;
  std::optional<SteadyTime> armed;
  std::multimap<SteadyTime, Due> due;
};

Watchdog::Watchdog(const Executor& executor) : state_(std::make_shared<State>(executor)) {}

Watchdog::~Watchdog() {
  std::lock_guard lock(state_->mutex);
  state_->timer.cancel();
}

void Watchdog::watch(const std::shared_ptr<ActiveRun>& run, SteadyTime at) {
  auto& state = *state_;
  std::lock_guard lock(state.mutex);
  if (run->watchdog_due) {
    if (*run->watchdog_due <= at)
      return;
    state.erase(*run);
  }
  run->watchdog_due = at;
  state.due.emplace(at, State::Due{run.get(), run});
  if (!state.armed || at < *state.armed)
    state.arm(at);
}

void Watchdog::forget(ActiveRun& run) {
  auto& state = *state_;
  std::lock_guard lock(state.mutex);
  if (!run.watchdog_due)
    return;
  state.erase(run);
  run.watchdog_due.reset();
}

}  // namespace opsgraph::graph::detail
