// Store throughput in one binary: checkpoint puts with 1 KB of data on the memory store (the
// baseline), SQLite with synchronous=NORMAL (kill-safe) and SQLite with FULL (power-loss-safe),
// plus the create, update and claim rates of each. SQLite files live in a mkdtemp directory under
// /tmp that each benchmark removes when it ends; their WAL is grown first, as in a running store.
// The postgres cases run against the server named by OPSGRAPH_BENCH_POSTGRES_DSN (for example a
// throwaway one: eval "$(scripts/start-postgres)"; export
// OPSGRAPH_BENCH_POSTGRES_DSN=$OPSGRAPH_PG_DSN), each in a schema of its own that it drops at the
// end; they fail to start without it. Note that scripts/start-postgres turns fsync off: its numbers
// are round trips and server work, not disk.
#include <benchmark/benchmark.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <opsgraph/core/clock.hpp>
#include <opsgraph/store/memory_store.hpp>
#include <opsgraph/store/sqlite_store.hpp>
#include <string>
#include <system_error>

#ifdef OPSGRAPH_STORE_BENCH_POSTGRES
#include <libpq-fe.h>

#include <opsgraph/store/postgres_store.hpp>
#endif

namespace {

using opsgraph::ManualClock;
using opsgraph::store::Checkpoint;
using opsgraph::store::Checkpointer;
using opsgraph::store::MemoryStore;
#ifdef OPSGRAPH_STORE_BENCH_POSTGRES
using opsgraph::store::PostgresOptions;
using opsgraph::store::PostgresStore;
#endif
using opsgraph::store::SqliteOptions;
using opsgraph::store::SqliteStore;
using opsgraph::store::SqliteSync;
using opsgraph::store::TaskRecord;
using opsgraph::store::TaskStore;

enum class Backend { memory, sqlite_normal, sqlite_full, postgres };

const std::string kKilobyte = "{\"pad\":\"" + std::string(1024 - 10, 'x') + "\"}";

// One store of one backend on a ManualClock, in a scratch directory removed on destruction.
class BenchStore {
 public:
  BenchStore(Backend backend, benchmark::State& state) {
    if (backend == Backend::memory) {
      memory_ = std::make_unique<MemoryStore>(clock_);
      return;
    }
    if (backend == Backend::postgres) {
#ifdef OPSGRAPH_STORE_BENCH_POSTGRES
      open_postgres(state);
#else
      state.SkipWithError("built with OPSGRAPH_WITH_POSTGRES=OFF");
#endif
      return;
    }
    std::string pattern = "/tmp/opsgraph-store-bench-XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) {
      state.SkipWithError("mkdtemp failed");
      return;
    }
    dir_ = pattern;
    auto path = (dir_ / "bench.db").string();
    if (!grow_wal(path, state))
      return;
    SqliteOptions options;
    options.synchronous = backend == Backend::sqlite_full ? SqliteSync::full : SqliteSync::normal;
    auto opened = SqliteStore::open(path, options, clock_);
    if (!opened) {
      state.SkipWithError(opened.error().message.c_str());
      return;
    }
    sqlite_ = std::move(opened).value();
  }
  ~BenchStore() {
#ifdef OPSGRAPH_STORE_BENCH_POSTGRES
    if (postgres_) {
      postgres_.reset();
      drop_postgres_schema();
    }
#endif
    sqlite_.reset();
    warm_.reset();
    std::error_code ec;
    if (!dir_.empty())
      std::filesystem::remove_all(dir_, ec);
  }
  BenchStore(const BenchStore&) = delete;
  BenchStore& operator=(const BenchStore&) = delete;

  bool ok() const {
    return memory_ || sqlite_ || tasks_;
  }
  TaskStore& tasks() {
    if (memory_)
      return *memory_;
    if (tasks_)
      return *tasks_;
    return *sqlite_;
  }
  Checkpointer& checkpoints() {
    if (memory_)
      return *memory_;
    if (checkpoints_)
      return *checkpoints_;
    return *sqlite_;
  }
  ManualClock& clock() {
    return clock_;
  }

 private:
  // A new WAL file grows with every commit, and an fsync that extends a file also writes its
  // metadata; a long-running store reuses a WAL that grew long ago. So, untimed, write enough to
  // wrap the WAL once, through a second connection that stays open so the file is not removed.
  bool grow_wal(const std::string& path, benchmark::State& state) {
    auto opened = SqliteStore::open(path, SqliteOptions{}, clock_);
    if (!opened) {
      state.SkipWithError(opened.error().message.c_str());
      return false;
    }
    warm_ = std::move(opened).value();
    for (std::uint64_t step = 1; step <= 1200; ++step) {
      if (!warm_->put(Checkpoint{"warm-up", step, "bench", kKilobyte, {}})) {
        state.SkipWithError("warm-up failed");
        return false;
      }
    }
    return static_cast<bool>(warm_->erase("warm-up"));
  }

#ifdef OPSGRAPH_STORE_BENCH_POSTGRES
  void open_postgres(benchmark::State& state) {
    dsn_ = postgres_dsn();
    if (dsn_.empty()) {
      state.SkipWithError("set OPSGRAPH_BENCH_POSTGRES_DSN (see the top of store_bench.cpp)");
      return;
    }
    static int opened = 0;
    PostgresOptions options;
    options.schema = "bench_" + std::to_string(::getpid()) + "_" + std::to_string(++opened);
    schema_ = options.schema;
    auto store = PostgresStore::open(dsn_, options, clock_);
    if (!store) {
      state.SkipWithError(store.error().message.c_str());
      return;
    }
    postgres_ = std::move(store).value();
    tasks_ = postgres_.get();
    checkpoints_ = postgres_.get();
  }

  // OPSGRAPH_BENCH_POSTGRES_DSN, or the DSN in the state file of the ctest fixture's cluster
  // (OPSGRAPH_BENCH_POSTGRES_STATE, set for the smoke run).
  static std::string postgres_dsn() {
    if (const char* dsn = std::getenv("OPSGRAPH_BENCH_POSTGRES_DSN"); dsn != nullptr)
      return dsn;
    const char* state = std::getenv("OPSGRAPH_BENCH_POSTGRES_STATE");
    std::ifstream file(state != nullptr ? state : "");
    const std::string key = "OPSGRAPH_PG_DSN=";
    for (std::string line; std::getline(file, line);) {
      if (line.rfind(key, 0) == 0)
        return line.substr(key.size());
    }
    return {};
  }

  void drop_postgres_schema() {
    PGconn* conn = PQconnectdb(dsn_.c_str());
    if (PQstatus(conn) == CONNECTION_OK)
      PQclear(PQexec(conn, ("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE").c_str()));
    PQfinish(conn);
  }

  std::string dsn_;
  std::string schema_;
  std::unique_ptr<PostgresStore> postgres_;
#endif

  ManualClock clock_;
  // The backend other than memory and SQLite, when one is open.
  TaskStore* tasks_ = nullptr;
  Checkpointer* checkpoints_ = nullptr;
  std::filesystem::path dir_;
  std::unique_ptr<MemoryStore> memory_;
  std::unique_ptr<SqliteStore> warm_;
  std::unique_ptr<SqliteStore> sqlite_;
};

TaskRecord bench_task(std::string id) {
  TaskRecord record;
  record.id = std::move(id);
  record.status = "queued";
  record.stage = "routing";
  record.owner = "bench";
  record.runnable = true;
  record.body = kKilobyte;
  return record;
}

void BM_CheckpointPut(benchmark::State& state, Backend backend) {
  BenchStore store(backend, state);
  if (!store.ok())
    return;
  std::uint64_t step = 0;
  for (auto _ : state) {
    auto put = store.checkpoints().put(Checkpoint{"run-1", ++step, "bench", kKilobyte, {}});
    if (!put) {
      state.SkipWithError(put.error().message.c_str());
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_Create(benchmark::State& state, Backend backend) {
  BenchStore store(backend, state);
  if (!store.ok())
    return;
  std::uint64_t n = 0;
  for (auto _ : state) {
    auto created = store.tasks().create(bench_task("task-" + std::to_string(++n)));
    if (!created) {
      state.SkipWithError(created.error().message.c_str());
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_Update(benchmark::State& state, Backend backend) {
  BenchStore store(backend, state);
  if (!store.ok())
    return;
  auto created = store.tasks().create(bench_task("task-1"));
  if (!created) {
    state.SkipWithError(created.error().message.c_str());
    return;
  }
  auto record = created.value().record;
  for (auto _ : state) {
    auto updated = store.tasks().update(record, record.version);
    if (!updated) {
      state.SkipWithError(updated.error().message.c_str());
      break;
    }
    record.version = updated.value().version;
  }
  state.SetItemsProcessed(state.iterations());
}

// Claims from a pool of 1,000 runnable tasks. Each lease lasts 1 ms and the clock moves 1 ms per
// claim, so the pool never drains and every claim does the full work: find the oldest claimable
// task, lease it, bump its version.
void BM_Claim(benchmark::State& state, Backend backend) {
  BenchStore store(backend, state);
  if (!store.ok())
    return;
  for (int i = 0; i < 1000; ++i) {
    if (!store.tasks().create(bench_task("task-" + std::to_string(i)))) {
      state.SkipWithError("could not fill the pool");
      return;
    }
  }
  for (auto _ : state) {
    store.clock().advance(std::chrono::milliseconds{1});
    auto claimed = store.tasks().claim("bench-worker", std::chrono::milliseconds{1});
    if (!claimed || !claimed.value()) {
      state.SkipWithError(claimed ? "nothing to claim" : claimed.error().message.c_str());
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
}

// Real time, not CPU time: a synchronous commit waits on the disk without using the CPU.
#define OPSGRAPH_STORE_BENCH(fn)                                               \
  BENCHMARK_CAPTURE(fn, memory, Backend::memory)->UseRealTime();               \
  BENCHMARK_CAPTURE(fn, sqlite_normal, Backend::sqlite_normal)->UseRealTime(); \
  BENCHMARK_CAPTURE(fn, sqlite_full, Backend::sqlite_full)->UseRealTime();     \
  BENCHMARK_CAPTURE(fn, postgres, Backend::postgres)->UseRealTime()

OPSGRAPH_STORE_BENCH(BM_CheckpointPut);
OPSGRAPH_STORE_BENCH(BM_Create);
OPSGRAPH_STORE_BENCH(BM_Update);
OPSGRAPH_STORE_BENCH(BM_Claim);

}  // namespace
