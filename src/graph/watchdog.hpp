#pragma once
// A run's watchdog: one timer behind every deadline in the run, its own and its node attempts'
// timeouts. It is armed for the earliest deadline and left alone when work ends in time; when it
// fires it stops what has expired and re-arms for what remains. A timer per attempt would be
// cancelled at the end of nearly every attempt, and Asio hands a cancelled wait's handler to
// another io thread: a cross-thread wake-up per node. Everything here runs on the run's strand.

#include <memory>

#include "graph/active_run.hpp"

namespace opsgraph::graph::detail {

/// Makes sure the watchdog looks at the run no later than `at`; when it looks, it acts on the
/// run's `expires` and on each LiveWork's `expires` that is set by then. Each node attempt calls
/// it with the earlier of its own timeout and the run's deadline.
void watch_until(const std::shared_ptr<ActiveRun>& run, SteadyTime at);

}  // namespace opsgraph::graph::detail
