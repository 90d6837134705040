#pragma once
// opsgraph::store::Checkpointer — where graph runs save their progress after every step, so a run
// survives its process. The store keeps each checkpoint's data opaque: it is the graph runtime's
// own JSON and the store knows nothing of nodes or states.
//
// Implementations are thread-safe. Calls may block on I/O when blocking() is true; the graph
// runtime then makes them from its BlockingPool, never from an io thread.

#include <cstddef>
#include <cstdint>
#include <opsgraph/core/clock.hpp>
#include <opsgraph/core/result.hpp>
#include <opsgraph/export.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace opsgraph::store {

/// One saved step of one run.
struct Checkpoint {
  std::string run_id;
  /// Strictly increasing within a run; the first checkpoint of a run has step 1.
  std::uint64_t step = 0;
  /// The name of the graph that wrote it, so a run is never resumed by a different graph.
  std::string graph;
  /// The runtime's serialized run (state, next nodes, status). Opaque to the store.
  std::string data;
  TimePoint created_at{};

  friend bool operator==(const Checkpoint&, const Checkpoint&) = default;
};

class OPSGRAPH_API Checkpointer {
 public:
  virtual ~Checkpointer() = default;

  /// Saves `checkpoint`; it is durable (to the backend's promise) when this returns. Fails with
  /// errc::conflict when the run already has a checkpoint at this step or a later one, so two
  /// processes resuming one run cannot both write it. Backends keep a bounded history per run.
  virtual result<void> put(const Checkpoint& checkpoint) = 0;

  /// The run's checkpoint with the highest step, or nullopt if the run has none.
  virtual result<std::optional<Checkpoint>> latest(std::string_view run_id) = 0;

  /// The run's retained checkpoints, oldest first, at most `limit` of the newest.
  virtual result<std::vector<Checkpoint>> history(std::string_view run_id, std::size_t limit) = 0;

  /// Removes every checkpoint of the run (a no-op for an unknown run).
  virtual result<void> erase(std::string_view run_id) = 0;

  /// Removes every checkpoint of each of the runs, as erase() does for one, in a single write
  /// where the backend can: an owner that lets go of many finished runs pays one transaction, not
  /// one per run. This default calls erase() for each run and stops at the first failure.
  virtual result<void> erase_runs(std::span<const std::string> run_ids) {
    for (const auto& run_id : run_ids) {
      OPSGRAPH_TRY(erase(run_id));
    }
    return ok();
  }

  /// True when calls wait on disk or network.
  virtual bool blocking() const noexcept = 0;
};

}  // namespace opsgraph::store
