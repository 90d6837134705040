// The PostgreSQL backend joins the conformance suite: every store it opens lives in a fresh
// schema of the shared test cluster. A missing cluster fails the tests; none is skipped.
#include <fstream>
#include <opsgraph/store/postgres_store.hpp>

#include "postgres_cluster.hpp"
#include "store_conformance.hpp"

namespace opsgraph::store::testing {
namespace {

// The schema of the store kept under `dir`: a fresh one the first time, remembered in a file
// there so that opening `dir` again reaches the same tables.
std::string schema_of(const std::filesystem::path& dir) {
  auto file = dir / "postgres-schema";
  std::string schema;
  if (std::ifstream(file) >> schema)
    return schema;
  schema = fresh_schema();
  std::ofstream(file) << schema;
  return schema;
}

Backend postgres_backend() {
  return {"postgres",
          [](const Clock& clock, const std::filesystem::path& dir,
             const BackendOptions& options) -> result<StoreHandle> {
            std::string why;
            auto dsn = shared_dsn(&why);
            if (!dsn)
              return fail(errc::storage, why);
            PostgresOptions postgres;
            postgres.schema = schema_of(dir);
            postgres.checkpoint_history = options.checkpoint_history;
            OPSGRAPH_TRY(auto store, PostgresStore::open(*dsn, postgres, clock));
            return handle_of(std::move(store));
          }};
}

INSTANTIATE_TEST_SUITE_P(Postgres, StoreConformance, ::testing::Values(postgres_backend()),
                         backend_name);

}  // namespace
}  // namespace opsgraph::store::testing
