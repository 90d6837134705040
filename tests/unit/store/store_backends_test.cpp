// The backends that run the conformance suite.
#include <opsgraph/store/memory_store.hpp>
#include <opsgraph/store/sqlite_store.hpp>

#include "store_conformance.hpp"

namespace opsgraph::store::testing {
namespace {

Backend memory_backend() {
  return {"memory",
          [](const Clock& clock, const std::filesystem::path&,
             const BackendOptions& options) -> result<StoreHandle> {
            MemoryStoreOptions memory;
            memory.checkpoint_history = options.checkpoint_history;
            return handle_of(std::make_unique<MemoryStore>(clock, memory));
          },
          /*durable=*/false};
}

Backend sqlite_backend() {
  return {"sqlite",
          [](const Clock& clock, const std::filesystem::path& dir,
             const BackendOptions& options) -> result<StoreHandle> {
            SqliteOptions sqlite;
            sqlite.checkpoint_history = options.checkpoint_history;
            OPSGRAPH_TRY(auto store,
                         SqliteStore::open((dir / "opsgraph.db").string(), sqlite, clock));
            return handle_of(std::move(store));
          }};
}

INSTANTIATE_TEST_SUITE_P(Memory, StoreConformance, ::testing::Values(memory_backend()),
                         backend_name);
INSTANTIATE_TEST_SUITE_P(Sqlite, StoreConformance, ::testing::Values(sqlite_backend()),
                         backend_name);

}  // namespace
}  // namespace opsgraph::store::testing
