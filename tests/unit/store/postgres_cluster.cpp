#include "postgres_cluster.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <random>

#include "support/child_process.hpp"

namespace opsgraph::store::testing {
namespace {

std::string value_of(const std::vector<std::string>& lines, const std::string& key) {
  for (const auto& line : lines) {
    if (line.rfind(key + "=", 0) == 0)
      return line.substr(key.size() + 1);
  }
  return {};
}

}  // namespace

std::optional<std::string> shared_dsn(std::string* why) {
  if (const char* dsn = std::getenv("OPSGRAPH_TEST_POSTGRES_DSN"); dsn != nullptr && *dsn != 0)
    return std::string(dsn);
  std::ifstream state(OPSGRAPH_TEST_POSTGRES_STATE);
  std::vector<std::string> lines;
  for (std::string line; std::getline(state, line);)
    lines.push_back(line);
  auto dsn = value_of(lines, "OPSGRAPH_PG_DSN");
  if (dsn.empty()) {
    *why = std::string("no PostgreSQL test cluster: ") + OPSGRAPH_TEST_POSTGRES_STATE +
           " is missing. Run these tests through ctest (the fixture opsgraph_postgres starts a "
           "cluster with scripts/start-postgres), or set OPSGRAPH_TEST_POSTGRES_DSN";
    return std::nullopt;
  }
  return dsn;
}

std::string fresh_schema() {
  static std::atomic<int> counter{0};
  static const unsigned salt = std::random_device{}();
  // Appended piece by piece: g++ 12 at -O3 warns falsely (-Wrestrict) on `"t" + to_string()`.
  std::string schema(1, 't');
  schema += std::to_string(::getpid());
  schema += '_';
  schema += std::to_string(salt % 100000);
  schema += '_';
  schema += std::to_string(++counter);
  return schema;
}

std::optional<std::vector<std::string>> run_start_postgres(const std::vector<std::string>& args) {
  auto child = opsgraph::testing::ChildProcess::spawn(OPSGRAPH_START_POSTGRES, args);
  if (!child)
    return std::nullopt;
  std::vector<std::string> lines;
  while (auto line = child->read_line(std::chrono::seconds{120}))
    lines.push_back(*line);
  int status = child->wait();
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    ADD_FAILURE() << "scripts/start-postgres failed (status " << status << ")";
    return std::nullopt;
  }
  return lines;
}

bool run_psql(const std::string& dsn, const std::string& sql) {
  const char* bin = std::getenv("OPSGRAPH_PG_BIN");
  std::string psql =
      std::string(bin != nullptr && *bin != 0 ? bin : "/usr/lib/postgresql/15/bin") + "/psql";
  auto child = opsgraph::testing::ChildProcess::spawn(
      psql, {"-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", dsn, "-c", sql});
  if (!child)
    return false;
  while (child->read_line(std::chrono::seconds{60})) {
  }
  int status = child->wait();
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    ADD_FAILURE() << "psql failed (status " << status << ") running: " << sql;
    return false;
  }
  return true;
}

PrivateCluster::PrivateCluster() {
  auto lines = run_start_postgres({});
  if (!lines)
    return;
  dir_ = value_of(*lines, "OPSGRAPH_PG_DIR");
  dsn_ = value_of(*lines, "OPSGRAPH_PG_DSN");
  if (dsn_.empty())
    ADD_FAILURE() << "scripts/start-postgres printed no DSN";
}

PrivateCluster::~PrivateCluster() {
  if (!dir_.empty())
    run_start_postgres({"--stop", dir_});
}

bool PrivateCluster::down() {
  return run_start_postgres({"--down", dir_}).has_value();
}

bool PrivateCluster::up() {
  return run_start_postgres({"--up", dir_}).has_value();
}

}  // namespace opsgraph::store::testing
