#pragma once
// The runner's watchdog: one timer behind every deadline of every run, the runs' own and their
// node attempts' timeouts. It is armed for the earliest deadline and left alone when work ends in
// time. Deadlines mostly come later than the one it is armed for (each run's are counted from its
// start), so a run usually arms nothing: arming a timer from an io thread other than the one
// waiting for events wakes that thread, and a timer per run or per attempt would do so at least
// once per run. When it fires, each run that is due is looked at on its own strand: what has
// expired is stopped, and the run asks again for what remains.

#include <memory>

#include "graph/active_run.hpp"

namespace opsgraph::graph::detail {

class Watchdog {
 public:
  explicit Watchdog(const Executor& executor);
  ~Watchdog();
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

  /// Makes sure `run` is looked at no later than `at`. When it is, its `expires` and each
  /// LiveWork's `expires` that is set by then are acted on. Called on the run's strand: each node
  /// attempt calls it with the earlier of its own timeout and the run's deadline.
  void watch(const std::shared_ptr<ActiveRun>& run, SteadyTime at);
  /// Drops what `run` asked for; called on its strand when it ends.
  void forget(ActiveRun& run);

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace opsgraph::graph::detail
