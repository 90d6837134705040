// The PostgreSQL backend joins the conformance suite: every store it opens lives in a fresh
// schema of the shared test cluster. A missing cluster fails the tests; none is skipped.
#include <opsgraph/store/postgres_store.hpp>

#include "postgres_cluster.hpp"
#include "store_conformance.hpp"

namespace opsgraph::store::testing {
namespace {

Backend postgres_backend() {
  return {"postgres",
          [](const Clock& clock, const std::filesystem::path&,
             const BackendOptions& options) -> result<StoreHandle> {
            std::string why;
            auto dsn = shared_dsn(&why);
            if (!dsn)
              return fail(errc::storage, why);
            PostgresOptions postgres;
            postgres.schema = fresh_schema();
            postgres.checkpoint_history = options.checkpoint_history;
            OPSGRAPH_TRY(auto store, PostgresStore::open(*dsn, postgres, clock));
            return handle_of(std::move(store));
          }};
}

INSTANTIATE_TEST_SUITE_P(Postgres, StoreConformance, ::testing::Values(postgres_backend()),
                         backend_name);

}  // namespace
}  // namespace opsgraph::store::testing
