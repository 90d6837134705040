#pragma once
// How the PostgreSQL tests reach a server. The shared cluster is the one the ctest fixture
// `opsgraph_postgres` started with scripts/start-postgres (its state file is compiled in), or the
// server named by OPSGRAPH_TEST_POSTGRES_DSN. Each store opened for a test gets a schema of its
// own, so tests never see one another's rows. A PrivateCluster is a cluster of one test's own,
// for tests that stop and start the server.

#include <optional>
#include <string>
#include <vector>

namespace opsgraph::store::testing {

/// The DSN of the shared test cluster; nullopt (with the reason in `why`) when there is none.
std::optional<std::string> shared_dsn(std::string* why);

/// A schema name no other store of this or any other test process uses.
std::string fresh_schema();

/// A cluster started by scripts/start-postgres for one test, stopped and deleted at the end.
/// Not thread-safe.
class PrivateCluster {
 public:
  /// Starts it; dsn() is empty (and a test failure recorded) when it could not start.
  PrivateCluster();
  ~PrivateCluster();
  PrivateCluster(const PrivateCluster&) = delete;
  PrivateCluster& operator=(const PrivateCluster&) = delete;

  const std::string& dsn() const { return dsn_; }
  /// Stops the server, keeping its data and port. True on success.
  bool down();
  /// Starts it again after down(). True on success.
  bool up();

 private:
  std::string dir_;
  std::string dsn_;
};

/// Runs `sql` through psql (from OPSGRAPH_PG_BIN, else PostgreSQL 15's bin directory, as
/// scripts/start-postgres finds it) against `dsn`, stopping at the first error. True on success;
/// a test failure names the exit status otherwise.
bool run_psql(const std::string& dsn, const std::string& sql);

/// Runs scripts/start-postgres with `args`; returns its stdout lines, or nullopt (with a test
/// failure naming the exit status) when it failed.
std::optional<std::vector<std::string>> run_start_postgres(const std::vector<std::string>& args);

}  // namespace opsgraph::store::testing
