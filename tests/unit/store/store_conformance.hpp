#pragma once
// The store conformance suite: every TaskStore + Checkpointer backend must pass the same tests.
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
#include <opsgraph/store/task_store.hpp>
#include <ostream>
#include <string>

#include "support/temp_dir.hpp"

namespace opsgraph::store::testing {

using opsgraph::testing::TempDir;

/// One opened store: a single object that is both a TaskStore and a Checkpointer.
struct StoreHandle {
  std::shared_ptr<void> owner;
  TaskStore* tasks = nullptr;
  Checkpointer* checkpoints = nullptr;
};

template <class Store>
StoreHandle handle_of(std::unique_ptr<Store> store) {
  StoreHandle handle;
  handle.tasks = store.get();
  handle.checkpoints = store.get();
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
  /// Opens an empty store that reads time from `clock` and keeps any files under `dir`.
  std::function<result<StoreHandle>(const Clock& clock, const std::filesystem::path& dir,
                                    const BackendOptions& options)>
      open;
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

  TaskStore& tasks() { return *store_.tasks; }
  Checkpointer& checkpoints() { return *store_.checkpoints; }

  /// A runnable task with a recognisable body; created through tasks(), asserting success.
  TaskRecord create_task(const std::string& id, const std::string& status = "queued",
                         const std::string& owner = "alice");

  ManualClock clock_;
  TempDir dir_;
  StoreHandle store_;

 private:
  int opened_ = 0;
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

}  // namespace opsgraph::store::testing
