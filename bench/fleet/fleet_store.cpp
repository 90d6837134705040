#include "fleet_store.hpp"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <opsgraph/store/sqlite_store.hpp>
#include <random>
#include <system_error>
#if OPSGRAPH_FLEET_POSTGRES
#include <opsgraph/store/postgres_store.hpp>
#endif

namespace opsgraph::bench {
namespace {

template <class Store>
OpenedStore shared(std::unique_ptr<Store> opened) {
  std::shared_ptr<Store> store = std::move(opened);
  return OpenedStore{store, store};
}

// A SQLite file in a temporary directory of its own, deleted with the place.
class SqlitePlace final : public Place {
 public:
  explicit SqlitePlace(std::string dir) : dir_(std::move(dir)), path_(dir_ + "/tasks.db") {}
  ~SqlitePlace() override {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  result<OpenedStore> open() const override {
    OPSGRAPH_TRY(auto opened, store::SqliteStore::open(path_));
    return shared(std::move(opened));
  }
  std::string name() const override { return path_; }

 private:
  std::string dir_;
  std::string path_;
};

result<std::unique_ptr<Place>> sqlite_place() {
  std::string dir = "/tmp/opsgraph-fleet-bench-XXXXXX";
  if (::mkdtemp(dir.data()) == nullptr)
    return fail(errc::internal, "cannot make a temporary directory under /tmp");
  return std::unique_ptr<Place>(std::make_unique<SqlitePlace>(std::move(dir)));
}

#if OPSGRAPH_FLEET_POSTGRES

class PostgresPlace final : public Place {
 public:
  PostgresPlace(std::string dsn, std::string schema)
      : dsn_(std::move(dsn)), schema_(std::move(schema)) {}

  result<OpenedStore> open() const override {
    store::PostgresOptions options;
    options.schema = schema_;
    OPSGRAPH_TRY(auto opened, store::PostgresStore::open(dsn_, options));
    return shared(std::move(opened));
  }
  std::string name() const override { return "schema " + schema_; }

 private:
  std::string dsn_;
  std::string schema_;
};

#endif

}  // namespace

bool postgres_built() {
  return OPSGRAPH_FLEET_POSTGRES != 0;
}

Places::Places(StoreKind kind, std::string dsn) : kind_(kind), dsn_(std::move(dsn)) {
  // A lowercase SQL identifier: the process id and a random salt keep two benchmark processes on
  // one database apart.
  prefix_ = "fleet_";
  prefix_ += std::to_string(::getpid());
  prefix_ += '_';
  prefix_ += std::to_string(std::random_device{}() % 100000);
}

result<std::unique_ptr<Place>> Places::fresh() {
  if (kind_ == StoreKind::sqlite)
    return sqlite_place();
#if OPSGRAPH_FLEET_POSTGRES
  std::string schema = prefix_;
  schema += '_';
  schema += std::to_string(++made_);
  return std::unique_ptr<Place>(std::make_unique<PostgresPlace>(dsn_, std::move(schema)));
#else
  return fail(errc::invalid_argument, "this build has no PostgreSQL store");
#endif
}

result<void> Places::check_reachable([[maybe_unused]] std::chrono::milliseconds timeout) {
  if (kind_ == StoreKind::sqlite) {
    OPSGRAPH_TRY(auto place, sqlite_place());
    OPSGRAPH_TRY(place->open());
    return ok();
  }
#if OPSGRAPH_FLEET_POSTGRES
  store::PostgresOptions options;
  options.schema = prefix_ + "_probe";
  options.connect_timeout = timeout;
  options.reconnect_timeout = timeout;
  OPSGRAPH_TRY(store::PostgresStore::open(dsn_, options));
  return ok();
#else
  return fail(errc::invalid_argument, "this build has no PostgreSQL store");
#endif
}

}  // namespace opsgraph::bench
