#pragma once
// Where one run of the fleet benchmark keeps its tasks: a fresh SQLite file in a temporary
// directory, or a fresh schema of one PostgreSQL database. Every engine of the run opens its own
// store object on that place (its own connection or pool), as a process of its own would.

#include <chrono>
#include <cstddef>
#include <memory>
#include <opsgraph/core/result.hpp>
#include <opsgraph/store/checkpointer.hpp>
#include <opsgraph/store/task_store.hpp>
#include <string>

namespace opsgraph::bench {

enum class StoreKind { sqlite, postgres };

/// True when this build has the PostgreSQL store (OPSGRAPH_WITH_POSTGRES).
bool postgres_built();

/// One store object: the task store and checkpointer an engine is given (the same object).
struct OpenedStore {
  std::shared_ptr<store::TaskStore> tasks;
  std::shared_ptr<store::Checkpointer> checkpoints;
};

/// A run's place: a SQLite file (its directory deleted with the place) or a PostgreSQL schema
/// (left in the database: the store has no way to drop one). Not thread-safe.
class Place {
 public:
  virtual ~Place() = default;
  /// A new store object on this place. Errors: storage (the file or server cannot be opened).
  virtual result<OpenedStore> open() const = 0;
  /// The file or schema, for messages.
  virtual std::string name() const = 0;
};

/// Makes the places of one benchmark process: each fresh() is a new, empty place, named so that
/// no other process's places collide with it. Not thread-safe.
class Places {
 public:
  /// `dsn` is used for StoreKind::postgres only.
  Places(StoreKind kind, std::string dsn);

  /// Errors: internal (no temporary directory), invalid_argument (postgres in a build without it).
  result<std::unique_ptr<Place>> fresh();

  /// Opens and closes one store on a place of its own, waiting at most `timeout` for the server:
  /// an unreachable DSN fails here, before any run. SQLite: checks that a file can be made.
  result<void> check_reachable(std::chrono::milliseconds timeout);

 private:
  StoreKind kind_;
  std::string dsn_;
  std::string prefix_;
  std::size_t made_ = 0;
};

}  // namespace opsgraph::bench
