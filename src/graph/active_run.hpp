#pragma once
// The in-memory form of one run while it executes: everything below is touched only on the run's
// strand, except cancel_flag, which any thread may read.

#include <atomic>
#include <boost/asio/cancellation_signal.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <opsgraph/core/blocking_pool.hpp>
#include <opsgraph/core/clock.hpp>
#include <opsgraph/core/log.hpp>
#include <opsgraph/graph/detail/graph_spec.hpp>
#include <opsgraph/graph/event.hpp>
#include <opsgraph/graph/run_result.hpp>
#include <opsgraph/store/checkpointer.hpp>
#include <optional>
#include <string>
#include <vector>

namespace opsgraph::graph::detail {

using SteadyTime = std::chrono::steady_clock::time_point;

class Watchdog;

/// What every run of one Runner shares.
struct RunnerEnv {
  BlockingPool* blocking = nullptr;
  Watchdog* watchdog = nullptr;
  const Clock* clock = nullptr;
  std::shared_ptr<store::Checkpointer> checkpointer;
  std::shared_ptr<const std::vector<Observer>> observers;
  Logger logger;
  /// Erase a completed run's checkpoints rather than save its end: RunnerOptions'
  /// keep_completed_runs, and always for the Runner's own in-memory checkpointer (a long-lived
  /// Runner would otherwise keep every run it ever ran).
  bool forget_completed = false;
};

/// The progress of one graph execution: the run's top-level graph, or a subgraph inside a node.
struct Frame {
  const GraphSpec* graph = nullptr;
  /// "" at the top, "parent/" inside the subgraph node "parent": node paths are prefix + name.
  std::string prefix;
  /// Shared, not copied, between a frame and the subgraph frames it runs: a frame replaces its
  /// state with what its nodes return, and copies a shared one before changing it in place
  /// (own_state()), so no frame sees another's changes. Node attempts work on copies of their own.
  StatePtr state;
  /// The nodes of the current step, in graph order; `done` are those already finished.
  std::vector<std::size_t> pending;
  std::vector<std::size_t> done;
  /// Per join: the sources that have finished since the join last fired.
  std::vector<std::vector<std::size_t>> join_arrivals;
  std::vector<Interrupt> interrupts;
  std::uint64_t steps = 0;

  /// Makes `state` this frame's alone before it is changed in place. A run's frames live on its
  /// strand, so the count of owners cannot change under this look.
  void own_state() {
    if (state.use_count() > 1)
      state = graph->state.clone(state.get());
  }
};

/// Random numbers for a run's retry jitter: SplitMix64, one word of state. (A Mersenne Twister has
/// 2.5 KB of it, and seeding that for every run cost more than the few draws a run makes.)
class Jitter {
 public:
  explicit Jitter(std::uint64_t seed = 0) noexcept : state_(seed) {}
  std::uint64_t operator()() noexcept {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }

 private:
  std::uint64_t state_;
};

/// A node attempt or backoff in flight, so cancel() and timeouts can reach it.
struct LiveWork {
  std::string path;
  boost::asio::cancellation_signal signal;
  /// When the attempt in flight times out (none: no timeout, or no attempt in flight), and
  /// whether it did; the run's watchdog sets `timed_out` and cancels the attempt.
  std::optional<SteadyTime> expires;
  bool timed_out = false;
};

struct ActiveRun {
  std::shared_ptr<const GraphSpec> graph;
  std::string run_id;
  Executor strand;
  RunnerEnv env;
  std::uint64_t step_limit = 0;
  std::optional<TimePoint> deadline;
  Jitter rng;
  /// `deadline` on the steady clock, from when this execution of the run began.
  std::optional<SteadyTime> expires;
  /// When the runner's watchdog is to look at the run next (none: nothing to look for). Guarded
  /// by the watchdog, not the strand; see watchdog.hpp.
  std::optional<SteadyTime> watchdog_due;

  Frame top;
  std::map<std::string, int, std::less<>> attempts;
  /// The answer of resume() and the node path it goes to, until that node has run.
  std::optional<json::Value> resume_value;
  std::string resume_path;

  std::uint64_t checkpoint_seq = 0;
  std::uint64_t event_seq = 0;
  std::atomic<bool> cancel_flag{false};
  std::optional<Error> stop_reason;
  std::vector<std::shared_ptr<LiveWork>> live;
  bool finished = false;
};

}  // namespace opsgraph::graph::detail
