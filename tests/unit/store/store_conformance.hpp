#pragma once
// The store conformance suite: every TaskStore + Checkpointer + KeyStore +
// LeaseFencedCheckpointer backend must pass the same tests.
// A backend joins with one line in a test source:
//
//   INSTANTIATE_TEST_SUITE_P(Postgres, StoreConformance,
//                            ::testing::Values(postgres_backend()), backend_name);
//
// Each test gets a fresh, empty store on a ManualClock and its own scratch directory.

#include <gtest/gtest.h>

#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <opsgraph/core/clock.hpp>
#include <opsgraph/core/result.hpp>
#include <opsgraph/store/checkpointer.hpp>
#include <opsgraph/store/key_store.hpp>
#include <opsgraph/store/lease_fenced_checkpointer.hpp>
#include <opsgraph/store/task_store.hpp>
#include <ostream>
#include <string>

#include "support/temp_dir.hpp"

namespace opsgraph::store::testing {

using opsgraph::testing::TempDir;

/// One opened store: a single object that is a TaskStore, a Checkpointer, a KeyStore and a
/// LeaseFencedCheckpointer.
struct StoreHandle {
  std::shared_ptr<void> owner;
  TaskStore* tasks = nullptr;
  Checkpointer* checkpoints = nullptr;
  KeyStore* keys = nullptr;
  LeaseFencedCheckpointer* fenced = nullptr;
};

template <class Store>
StoreHandle handle_of(std::unique_ptr<Store> store) {
  StoreHandle handle;
  handle.tasks = store.get();
  handle.checkpoints = store.get();
  handle.keys = store.get();
  handle.fenced = store.get();
  handle.owner = std::shared_ptr<Store>(std::move(store));
  return handle;
}

/// Options every backend must honour.
struct BackendOptions {
  std::size_t checkpoint_history = 8;
};

/// How to open a fresh, empty store of one backend.
struct Backend {
  std::string name;
  /// Opens the store kept under `dir`, which reads time from `clock`: an empty one the first
  /// time, and for a durable backend the same data (file or schema) when `dir` is opened again.
  std::function<result<StoreHandle>(const Clock& clock, const std::filesystem::path& dir,
                                    const BackendOptions& options)>
      open;
  /// Whether what a store holds outlives it (false for MemoryStore).
  bool durable = true;
};

/// Prints a backend by its name in test failures.
void PrintTo(const Backend& backend, std::ostream* out);

/// Names parameterized tests after the backend ("memory", "sqlite").
std::string backend_name(const ::testing::TestParamInfo<Backend>& info);

class StoreConformance : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override;

  /// Another store of the same backend (in a subdirectory of its own), e.g. with other options.
  StoreHandle open_another(const BackendOptions& options);

  /// The fixture's store opened a second time (the same file or schema), alongside store_; for
  /// a backend that is not durable, an empty store.
  StoreHandle reopen();

  TaskStore& tasks() { return *store_.tasks; }
  Checkpointer& checkpoints() { return *store_.checkpoints; }
  KeyStore& keys() { return *store_.keys; }
  LeaseFencedCheckpointer& fenced() { return *store_.fenced; }

  /// A runnable task with a recognisable body; created through tasks(), asserting success.
  TaskRecord create_task(const std::string& id, const std::string& status = "queued",
                         const std::string& owner = "alice");

  ManualClock clock_;
  TempDir dir_;
  StoreHandle store_;

 private:
  std::filesystem::path new_store_dir();
  StoreHandle open_in(const std::filesystem::path& dir, const BackendOptions& options);

  int opened_ = 0;
  // Where store_ keeps its data.
  std::filesystem::path store_dir_;
};

/// Whether `r` failed with `code`; the failure message says what happened instead.
template <class T>
::testing::AssertionResult fails_with(const result<T>& r, errc code) {
  if (r)
    return ::testing::AssertionFailure() << "succeeded; expected " << to_string(code);
  if (r.error().code != code) {
    return ::testing::AssertionFailure() << "failed with " << to_string(r.error().code) << " ("
                                         << r.error().message << "); expected " << to_string(code);
  }
  return ::testing::AssertionSuccess();
}

/// A TaskRecord ready for create().
TaskRecord new_task(const std::string& id, const std::string& status = "queued",
                    const std::string& owner = "alice");

/// The keys of a schema-version-2 upgrade test, made before the downgrade: "old", revoked (by
/// "cli") at the clock's time, and "live".
void add_keys_before_upgrade(KeyStore& keys);
/// The tasks of a claim-index upgrade test, made before the downgrade: t1 to t4 created a second
/// apart, t1 leased for 5 s and t2, 3 s later, for 60 s; the clock then moves on 3 s, so t1's
/// lease has expired and t2's has not.
void lease_tasks_before_upgrade(TaskStore& tasks, ManualClock& clock);
/// After the upgrade: the queue holds t1 (its lease expired), t3 and t4, claimed in that order,
/// and nothing after them; t2's live lease is never handed out.
void expect_claims_after_upgrade(TaskStore& tasks);
/// After the upgrade: "old" is still revoked at `revoked_at`, by nobody known (version 2 did not
/// record who), and revoking "live" now records its actor, at `now`.
void expect_keys_after_upgrade(KeyStore& keys, TimePoint revoked_at, TimePoint now);

}  // namespace opsgraph::store::testing
