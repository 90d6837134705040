// opsgraph_store_helper — a child process for the multi-process store tests, started by them
// with posix_spawn. Modes:
//   worker <db> <name> <go-file>       prints "ready", waits for <go-file> to exist, then claims,
//                                      records, completes and releases tasks until none is
//                                      left; prints "done <n> lost <m>"
//   checkpoints <db> <run> <normal|full>  put steps 1, 2, 3... forever, printing each step once
//                                      its put has returned (the test then sends SIGKILL)
//   pg-open <dsn> <schema> <go-file>   prints "ready", waits for <go-file>, opens a PostgresStore
//                                      on <schema> and prints "opened <schema version>"
//   pg-worker <dsn> <schema> <name> <go-file>  as worker, on a PostgresStore
// Exit status 0 on success, 2 on a store error (reported on stderr).
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <opsgraph/store/sqlite_store.hpp>
#ifdef OPSGRAPH_STORE_HELPER_POSTGRES
#include <opsgraph/store/postgres_store.hpp>
#endif
#include <string>
#include <string_view>
#include <system_error>
#include <thread>

#include "checkpoint_payload.hpp"

namespace {

using opsgraph::store::Checkpoint;
using opsgraph::store::SqliteOptions;
using opsgraph::store::SqliteStore;
using opsgraph::store::SqliteSync;

constexpr std::uint64_t kMaxSteps = 1'000'000;
constexpr int kMaxClaims = 100'000;

int report(const opsgraph::Error& error, std::string_view doing) {
  std::fprintf(stderr, "store_helper: %.*s: %s\n", static_cast<int>(doing.size()), doing.data(),
               error.message.c_str());
  return 2;
}

// Prints "ready" and waits for the test to create `go_file`, so that children start together.
bool ready_set_go(const std::string& go_file) {
  std::printf("ready\n");
  std::fflush(stdout);
  auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds{60};
  std::error_code ec;
  while (!std::filesystem::exists(go_file, ec)) {
    if (std::chrono::steady_clock::now() > give_up) {
      std::fprintf(stderr, "store_helper: %s never appeared\n", go_file.c_str());
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds{1});
  }
  return true;
}

// Claims, records, completes and releases tasks until none is left.
int work(opsgraph::store::TaskStore& store, const std::string& name, const std::string& go_file) {
  // Both workers start together (the test creates the go file once both are ready), so they
  // really compete for the same tasks.
  if (!ready_set_go(go_file))
    return 2;
  int done = 0;
  int lost = 0;
  // A store that handed out tasks again and again would otherwise keep this loop going.
  for (int attempts = 0; attempts < kMaxClaims; ++attempts) {
    auto claimed = store.claim(name, std::chrono::seconds{60});
    if (!claimed)
      return report(claimed.error(), "claim");
    if (!claimed.value())
      break;
    auto task = *claimed.value();
    auto token = task.lease->token;
    auto noted =
        store.append_event(task.id, "claimed",
                           "{\"worker\":\"" + name + "\",\"token\":" + std::to_string(token) + "}");
    if (!noted)
      return report(noted.error(), "append event");
    auto finished = task;
    finished.status = "completed";
    finished.runnable = false;
    finished.body = "{\"done_by\":\"" + name + "\"}";
    auto updated = store.update(finished, task.version);
    if (!updated) {
      if (updated.error().code != opsgraph::errc::conflict) {
        return report(updated.error(), "update");
      }
      ++lost;
      continue;
    }
    auto released = store.release(task.id, token);
    if (!released)
      return report(released.error(), "release");
    ++done;
  }
  std::printf("done %d lost %d\n", done, lost);
  return 0;
}

int run_worker(const std::string& db, const std::string& name, const std::string& go_file) {
  auto opened = SqliteStore::open(db);
  if (!opened)
    return report(opened.error(), "open");
  return work(*opened.value(), name, go_file);
}

int run_checkpoints(const std::string& db, const std::string& run, std::string_view sync) {
  SqliteOptions options;
  options.synchronous = sync == "full" ? SqliteSync::full : SqliteSync::normal;
  // Keep every step, so the test can check that none before the last acknowledged one is lost.
  options.checkpoint_history = kMaxSteps;
  auto opened = SqliteStore::open(db, options);
  if (!opened)
    return report(opened.error(), "open");
  auto& store = *opened.value();
  for (std::uint64_t step = 1; step <= kMaxSteps; ++step) {
    auto put = store.put(
        Checkpoint{run, step, "helper", opsgraph::store::testing::checkpoint_payload(step), {}});
    if (!put)
      return report(put.error(), "put");
    std::printf("%llu\n", static_cast<unsigned long long>(step));
    std::fflush(stdout);
  }
  return 0;
}

#ifdef OPSGRAPH_STORE_HELPER_POSTGRES
int run_pg_open(const std::string& dsn, const std::string& schema, const std::string& go_file) {
  if (!ready_set_go(go_file))
    return 2;
  opsgraph::store::PostgresOptions options;
  options.schema = schema;
  options.pool_size = 1;
  auto opened = opsgraph::store::PostgresStore::open(dsn, options);
  if (!opened)
    return report(opened.error(), "open");
  auto version = opened.value()->schema_version();
  if (!version)
    return report(version.error(), "schema version");
  std::printf("opened %d\n", version.value());
  return 0;
}

int run_pg_worker(const std::string& dsn, const std::string& schema, const std::string& name,
                  const std::string& go_file) {
  opsgraph::store::PostgresOptions options;
  options.schema = schema;
  auto opened = opsgraph::store::PostgresStore::open(dsn, options);
  if (!opened)
    return report(opened.error(), "open");
  return work(*opened.value(), name, go_file);
}
#endif

}  // namespace

int main(int argc, char** argv) {
  std::string_view mode = argc > 1 ? argv[1] : "";
  if (mode == "worker" && argc == 5)
    return run_worker(argv[2], argv[3], argv[4]);
  if (mode == "checkpoints" && argc == 5)
    return run_checkpoints(argv[2], argv[3], argv[4]);
#ifdef OPSGRAPH_STORE_HELPER_POSTGRES
  if (mode == "pg-open" && argc == 5)
    return run_pg_open(argv[2], argv[3], argv[4]);
  if (mode == "pg-worker" && argc == 6)
    return run_pg_worker(argv[2], argv[3], argv[4], argv[5]);
#endif
  std::fprintf(stderr,
               "usage: opsgraph_store_helper worker <db> <name> <go-file>\n"
               "       opsgraph_store_helper checkpoints <db> <run> <normal|full>\n"
               "       opsgraph_store_helper pg-open <dsn> <schema> <go-file>\n"
               "       opsgraph_store_helper pg-worker <dsn> <schema> <name> <go-file>\n");
  return 64;
}
