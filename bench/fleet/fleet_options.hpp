#pragma once
// The fleet benchmark's flags: the store and how to reach it, the fleet sizes, how many tasks and
// repetitions, and the workers' poll interval.

#include <chrono>
#include <cstddef>
#include <opsgraph/core/result.hpp>
#include <string>
#include <vector>

#include "fleet_store.hpp"

namespace opsgraph::bench {

/// A plain value.
struct Options {
  StoreKind store = StoreKind::sqlite;
  /// PostgreSQL: --dsn, else the OPSGRAPH_PG_DSN line of --dsn-file, else $OPSGRAPH_PG_DSN.
  std::string dsn;
  std::vector<std::size_t> workers{1, 2, 4};
  std::size_t tasks = 2000;
  std::size_t latency_tasks = 200;
  std::size_t repetitions = 3;
  /// The workers' poll interval (EngineOptions::poll_interval; the engine's default).
  std::chrono::milliseconds poll{1000};
  /// Between two submissions of the latency run.
  std::chrono::milliseconds gap{10};
  /// 0: the engine's default max_running_tasks.
  std::size_t max_running = 0;
};

/// What the flags accept, for a usage message.
extern const char* const kUsage;

/// Reads `--flag value` pairs. Errors: invalid_argument, naming the flag (an unknown flag, a
/// missing or malformed value, postgres without a DSN or in a build without it).
result<Options> parse_args(int argc, char** argv);

}  // namespace opsgraph::bench
