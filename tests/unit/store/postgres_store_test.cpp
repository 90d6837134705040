// PostgreSQL-only tests: migrations raced by many connections, reconnecting after the server
// restarts, claims raced by many connections, fencing of a stale lease holder across stores, and
// idle workers woken by LISTEN/NOTIFY.
#include <sys/wait.h>

#include <algorithm>
#include <atomic>
#include <barrier>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <opsgraph/store/postgres_store.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "postgres_cluster.hpp"
#include "store_conformance.hpp"
#include "support/child_process.hpp"

namespace opsgraph::store::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using Stopwatch = std::chrono::steady_clock;

// Migration 5 undone: the schema has the one claim index versions 1 to 4 made.
const std::string kUndoClaimIndexes =
    "DROP INDEX tasks_unleased; DROP INDEX tasks_lease_expiry; "
    "CREATE INDEX tasks_claimable ON tasks (created_at, id) WHERE runnable; ";

class PostgresStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    auto dsn = shared_dsn(&why);
    ASSERT_TRUE(dsn.has_value()) << why;
    dsn_ = *dsn;
    schema_ = fresh_schema();
  }

  // A store on this test's schema; every call opens another pool of connections.
  std::unique_ptr<PostgresStore> open(PostgresOptions options = {},
                                      const Clock& clock = Clock::system()) {
    options.schema = schema_;
    auto store = PostgresStore::open(dsn_, options, clock);
    EXPECT_TRUE(store) << store.error().message;
    return store ? std::move(store).value() : nullptr;
  }

  // A store for a worker that waits for work: it polls only every 30 s, so a wake-up within a
  // test's time is a notice's doing (or a lease's expiry).
  std::unique_ptr<PostgresStore> open_idle_worker() {
    PostgresOptions options;
    options.poll_interval = seconds{30};
    return open(options);
  }

  std::string dsn_;
  std::string schema_;
};

TEST_F(PostgresStoreTest, OpenRejectsBadOptionsAndConninfo) {
  PostgresOptions options;
  options.schema = "Robert'); DROP TABLE tasks;--";
  EXPECT_TRUE(fails_with(PostgresStore::open(dsn_, options), errc::invalid_argument));
  options = {};
  options.pool_size = 0;
  EXPECT_TRUE(fails_with(PostgresStore::open(dsn_, options), errc::invalid_argument));
  options = {};
  options.checkpoint_history = 0;
  EXPECT_TRUE(fails_with(PostgresStore::open(dsn_, options), errc::invalid_argument));
  EXPECT_TRUE(fails_with(PostgresStore::open("host=127.0.0.1 port"), errc::invalid_argument));
}

// PostgreSQL text holds neither NUL bytes nor invalid UTF-8: such input is refused, never cut.
TEST_F(PostgresStoreTest, TextPostgresCannotStoreIsAnInvalidArgument) {
  auto store = open();
  ASSERT_TRUE(store);
  auto with_nul = new_task("t1");
  with_nul.body = std::string("{\"a\":\"x\0y\"}", 11);
  EXPECT_TRUE(fails_with(store->create(with_nul), errc::invalid_argument));
  auto not_utf8 = new_task("t2");
  not_utf8.body = "{\"a\":\"\xff\"}";
  EXPECT_TRUE(fails_with(store->create(not_utf8), errc::invalid_argument));
  ASSERT_TRUE(store->create(new_task("t3")));
  EXPECT_TRUE(fails_with(store->append_event("t3", "tick", std::string("a\0b", 3)),
                         errc::invalid_argument));
  EXPECT_EQ(store->append_event("t3", "tick", "{}").value().seq, 1u) << "no gap left";
  EXPECT_TRUE(fails_with(store->get("t1"), errc::not_found));
}

TEST_F(PostgresStoreTest, AnUnreachableServerIsARetryableStorageError) {
  PostgresOptions options;
  options.schema = schema_;
  options.reconnect_timeout = milliseconds{200};
  auto start = Stopwatch::now();
  // Port 1 on loopback: nothing listens there, so the connection is refused at once.
  auto store = PostgresStore::open("postgresql://postgres@127.0.0.1:1/postgres", options);
  ASSERT_TRUE(fails_with(store, errc::storage));
  EXPECT_TRUE(store.error().retryable);
  EXPECT_LT(Stopwatch::now() - start, seconds{5});
}

TEST_F(PostgresStoreTest, ConcurrentOpensOfANewSchemaMigrateItOnce) {
  constexpr int kOpeners = 8;
  std::barrier start(kOpeners);
  std::vector<std::unique_ptr<PostgresStore>> stores(kOpeners);
  std::vector<std::string> errors(kOpeners);
  std::vector<std::thread> threads;
  for (int i = 0; i < kOpeners; ++i) {
    threads.emplace_back([&, i] {
      PostgresOptions options;
      options.schema = schema_;
      options.pool_size = 1;
      start.arrive_and_wait();
      auto opened = PostgresStore::open(dsn_, options);
      if (opened)
        stores[i] = std::move(opened).value();
      else
        errors[i] = opened.error().message;
    });
  }
  for (auto& thread : threads)
    thread.join();
  for (int i = 0; i < kOpeners; ++i)
    ASSERT_TRUE(stores[i]) << errors[i];
  for (auto& store : stores)
    EXPECT_EQ(store->schema_version().value(), kPostgresSchemaVersion);
  // Every store sees the others' writes: there is one set of tables.
  ASSERT_TRUE(stores[0]->create(new_task("shared")));
  for (auto& store : stores)
    EXPECT_TRUE(store->get("shared"));
}

TEST_F(PostgresStoreTest, ProcessesOpeningANewSchemaAtOnceMigrateItOnce) {
  constexpr int kProcesses = 4;
  TempDir dir;
  auto go = dir.file("go");
  std::vector<opsgraph::testing::ChildProcess> children;
  for (int i = 0; i < kProcesses; ++i) {
    auto child = opsgraph::testing::ChildProcess::spawn(OPSGRAPH_STORE_HELPER,
                                                        {"pg-open", dsn_, schema_, go});
    ASSERT_TRUE(child.has_value());
    children.push_back(std::move(*child));
  }
  for (auto& child : children)
    ASSERT_EQ(child.read_line(seconds{60}), std::optional<std::string>("ready"));
  std::ofstream(go).close();
  for (auto& child : children) {
    auto line = child.read_line(seconds{60});
    int status = child.wait();
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "helper status " << status;
    EXPECT_EQ(line, std::optional<std::string>("opened " + std::to_string(kPostgresSchemaVersion)));
  }
  auto store = open();
  ASSERT_TRUE(store);
  EXPECT_EQ(store->schema_version().value(), kPostgresSchemaVersion);
}

// A schema at version 1 (tasks, events and checkpoints: what releases before API keys wrote) is
// brought up to date when a store opens it, and keeps everything it held.
TEST_F(PostgresStoreTest, UpgradesAVersionOneSchemaAndKeepsItsData) {
  ManualClock clock;
  {
    auto store = open({}, clock);
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->create(new_task("t1")));
    ASSERT_TRUE(store->put(Checkpoint{"run-1", 1, "g", R"({"x":1})", {}}));
  }
  // Take away what the later migrations added: the schema is as version 1 left it.
  ASSERT_TRUE(
      run_psql(dsn_, "SET search_path TO " + schema_ + "; " + kUndoClaimIndexes +
                         "DROP TABLE api_keys; DROP FUNCTION opsgraph_put_leased_checkpoint; "
                         "DELETE FROM opsgraph_schema_migrations WHERE version > 1"));
  auto store = open({}, clock);
  ASSERT_TRUE(store);
  EXPECT_EQ(store->schema_version().value(), kPostgresSchemaVersion);
  EXPECT_EQ(store->get("t1").value().id, "t1");
  EXPECT_EQ(store->latest("run-1").value()->data, R"({"x":1})");
  ApiKey key{"key-1", "ci", "operator", "sha256:" + std::string(64, '0'), "cli", {}, {}, {}};
  auto added = store->add_key(key);
  ASSERT_TRUE(added) << added.error().message;
  EXPECT_EQ(added.value().created_at, clock.now());
  EXPECT_EQ(store->find_key(key.secret_hash).value()->id, "key-1");
  EXPECT_TRUE(fails_with(store->add_key(key), errc::conflict));
}

// A schema at version 2 (keys recorded when they were revoked, not by whom) keeps its keys: a key
// revoked then stays revoked, by nobody known, and a live one records who revokes it.
TEST_F(PostgresStoreTest, UpgradesAVersionTwoSchemaAndKeepsItsKeys) {
  ManualClock clock;
  {
    auto store = open({}, clock);
    ASSERT_TRUE(store);
    ASSERT_NO_FATAL_FAILURE(add_keys_before_upgrade(*store));
  }
  const auto revoked_at = clock.now();
  ASSERT_TRUE(run_psql(dsn_, "SET search_path TO " + schema_ + "; " + kUndoClaimIndexes +
                                 "ALTER TABLE api_keys DROP COLUMN revoked_by; "
                                 "DROP FUNCTION opsgraph_put_leased_checkpoint; "
                                 "DELETE FROM opsgraph_schema_migrations WHERE version > 2"));
  clock.advance(seconds{60});
  auto store = open({}, clock);
  ASSERT_TRUE(store);
  EXPECT_EQ(store->schema_version().value(), kPostgresSchemaVersion);
  expect_keys_after_upgrade(*store, revoked_at, clock.now());
}

// A schema at version 4 gets the claim indexes of version 5 and hands out its work in the same
// order: the oldest task whose lease expired, then the unleased ones, never a live lease.
TEST_F(PostgresStoreTest, UpgradesAVersionFourSchemaAndClaimsInTheSameOrder) {
  ManualClock clock;
  {
    auto store = open({}, clock);
    ASSERT_TRUE(store);
    ASSERT_NO_FATAL_FAILURE(lease_tasks_before_upgrade(*store, clock));
  }
  ASSERT_TRUE(run_psql(dsn_, "SET search_path TO " + schema_ + "; " + kUndoClaimIndexes +
                                 "DELETE FROM opsgraph_schema_migrations WHERE version > 4"));
  auto store = open({}, clock);
  ASSERT_TRUE(store);
  EXPECT_EQ(store->schema_version().value(), kPostgresSchemaVersion);
  expect_claims_after_upgrade(*store);
}

TEST_F(PostgresStoreTest, CallsSucceedAgainAfterTheServerRestarts) {
  PrivateCluster cluster;
  ASSERT_FALSE(cluster.dsn().empty());
  PostgresOptions options;
  options.schema = schema_;
  options.reconnect_timeout = milliseconds{300};
  auto opened = PostgresStore::open(cluster.dsn(), options);
  ASSERT_TRUE(opened) << opened.error().message;
  auto& store = *opened.value();
  ASSERT_TRUE(store.create(new_task("before")));

  ASSERT_TRUE(cluster.down());
  auto while_down = store.get("before");
  ASSERT_TRUE(fails_with(while_down, errc::storage));
  EXPECT_TRUE(while_down.error().retryable) << while_down.error().message;

  ASSERT_TRUE(cluster.up());
  auto after = store.get("before");
  ASSERT_TRUE(after) << after.error().message;
  EXPECT_TRUE(store.create(new_task("after")));
  EXPECT_TRUE(store.claim("worker", seconds{30}).value().has_value());
}

TEST_F(PostgresStoreTest, ACallWaitsWithBackoffForAServerThatComesBack) {
  PrivateCluster cluster;
  ASSERT_FALSE(cluster.dsn().empty());
  PostgresOptions options;
  options.schema = schema_;
  options.reconnect_timeout = seconds{30};
  auto opened = PostgresStore::open(cluster.dsn(), options);
  ASSERT_TRUE(opened) << opened.error().message;
  auto& store = *opened.value();
  ASSERT_TRUE(store.create(new_task("t1")));
  ASSERT_TRUE(cluster.down());

  std::atomic<bool> restarted{false};
  std::thread restarter([&] {
    std::this_thread::sleep_for(milliseconds{700});
    restarted = cluster.up();
  });
  auto got = store.get("t1");
  restarter.join();
  ASSERT_TRUE(restarted.load());
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got.value().id, "t1");
}

// The listening connection dies with the server and comes back with it: an idle worker is woken
// by the next task long before its 30 s poll.
TEST_F(PostgresStoreTest, WaitingWorkersAreWokenAgainAfterTheServerRestarts) {
  PrivateCluster cluster;
  ASSERT_FALSE(cluster.dsn().empty());
  PostgresOptions options;
  options.schema = schema_;
  options.poll_interval = seconds{30};
  options.reconnect_backoff_max = milliseconds{200};
  auto worker = PostgresStore::open(cluster.dsn(), options);
  auto producer = PostgresStore::open(cluster.dsn(), options);
  ASSERT_TRUE(worker && producer);
  ASSERT_FALSE(worker.value()->wait_for_work(milliseconds{50}).value());

  ASSERT_TRUE(cluster.down());
  ASSERT_TRUE(cluster.up());
  std::atomic<bool> woke{false};
  std::thread waiter([&] {
    // A wake-up for the reconnection itself is allowed; then one for the task must follow.
    auto give_up = Stopwatch::now() + seconds{20};
    while (!woke && Stopwatch::now() < give_up) {
      auto got = worker.value()->wait_for_work(seconds{20});
      woke = got && got.value() && worker.value()->get("t1").has_value();
    }
  });
  std::this_thread::sleep_for(milliseconds{300});
  auto start = Stopwatch::now();
  ASSERT_TRUE(producer.value()->create(new_task("t1")));
  waiter.join();
  EXPECT_TRUE(woke.load());
  EXPECT_LT(Stopwatch::now() - start, seconds{5});
}

TEST_F(PostgresStoreTest, ManyStoresClaimingAtOnceTakeEveryTaskExactlyOnce) {
  constexpr int kTasks = 300;
  constexpr int kWorkers = 8;
  auto seed = open();
  ASSERT_TRUE(seed);
  for (int i = 0; i < kTasks; ++i)
    ASSERT_TRUE(seed->create(new_task("task-" + std::to_string(i))));

  std::vector<std::unique_ptr<PostgresStore>> workers;
  PostgresOptions options;
  options.pool_size = 1;
  for (int i = 0; i < kWorkers; ++i) {
    workers.push_back(open(options));
    ASSERT_TRUE(workers.back());
  }
  std::barrier start(kWorkers);
  std::mutex mutex;
  std::multiset<std::string> claimed;
  std::vector<int> per_worker(kWorkers, 0);
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < kWorkers; ++w) {
    threads.emplace_back([&, w] {
      start.arrive_and_wait();
      for (int i = 0; i <= kTasks; ++i) {
        auto got = workers[w]->claim("worker-" + std::to_string(w), seconds{60});
        if (!got) {
          ++errors;
          return;
        }
        if (!got.value())
          return;
        std::lock_guard lock(mutex);
        claimed.insert(got.value()->id);
        ++per_worker[w];
      }
    });
  }
  for (auto& thread : threads)
    thread.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(claimed.size(), std::size_t{kTasks});
  EXPECT_EQ(std::set<std::string>(claimed.begin(), claimed.end()).size(), std::size_t{kTasks});
  EXPECT_FALSE(seed->claim("late", seconds{60}).value().has_value());
  EXPECT_GT(*std::max_element(per_worker.begin(), per_worker.end()), 0);
}

// Two worker processes drain one pool of tasks: every task is completed once, by one of them.
TEST_F(PostgresStoreTest, TwoProcessesShareOnePoolOfTasksWithoutDoubleLeases) {
  constexpr int kTasks = 200;
  auto seed = open();
  ASSERT_TRUE(seed);
  for (int i = 0; i < kTasks; ++i)
    ASSERT_TRUE(seed->create(new_task("task-" + std::to_string(i))));
  TempDir dir;
  auto go = dir.file("go");
  std::vector<opsgraph::testing::ChildProcess> workers;
  for (std::string name : {"worker-a", "worker-b"}) {
    auto child = opsgraph::testing::ChildProcess::spawn(OPSGRAPH_STORE_HELPER,
                                                        {"pg-worker", dsn_, schema_, name, go});
    ASSERT_TRUE(child.has_value());
    workers.push_back(std::move(*child));
  }
  for (auto& worker : workers)
    ASSERT_EQ(worker.read_line(seconds{60}), std::optional<std::string>("ready"));
  std::ofstream(go).close();

  int total_done = 0;
  for (auto& worker : workers) {
    auto line = worker.read_line(seconds{120});
    int status = worker.wait();
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "worker status " << status;
    ASSERT_TRUE(line.has_value());
    int done = -1;
    int lost = -1;
    ASSERT_EQ(std::sscanf(line->c_str(), "done %d lost %d", &done, &lost), 2) << *line;
    EXPECT_EQ(lost, 0);
    total_done += done;
  }
  EXPECT_EQ(total_done, kTasks);
  ListQuery completed;
  completed.statuses = {"completed"};
  completed.limit = kMaxListLimit;
  EXPECT_EQ(seed->list(completed).value().tasks.size(), std::size_t{kTasks});
  for (int i = 0; i < kTasks; ++i) {
    auto log = seed->events("task-" + std::to_string(i), 0, 10).value();
    EXPECT_EQ(log.size(), 1u) << "task-" << i << " was claimed " << log.size() << " times";
  }
}

// Two workers in two stores (as in two processes): the first holder's lease lapses, the second
// claims the task, and nothing the first one still tries can touch the new owner's progress.
TEST_F(PostgresStoreTest, AStaleTokensWritesAreRefused) {
  ManualClock clock;
  auto first_worker = open({}, clock);
  auto second_worker = open({}, clock);
  ASSERT_TRUE(first_worker && second_worker);
  ASSERT_TRUE(first_worker->create(new_task("t1")));

  auto stale = first_worker->claim("worker-1", seconds{10}).value().value();
  clock.advance(seconds{11});
  auto current = second_worker->claim("worker-2", seconds{10}).value().value();
  EXPECT_GT(current.lease->token, stale.lease->token);

  auto progress = current;
  progress.body = R"({"progress":"worker-2 step 1"})";
  auto saved = second_worker->update(progress, current.version);
  ASSERT_TRUE(saved) << saved.error().message;

  auto late = stale;
  late.body = R"({"progress":"worker-1 overwrote"})";
  late.status = "completed";
  EXPECT_TRUE(fails_with(first_worker->update(late, stale.version), errc::conflict));
  EXPECT_TRUE(
      fails_with(first_worker->renew("t1", stale.lease->token, seconds{10}), errc::conflict));
  EXPECT_TRUE(fails_with(first_worker->release("t1", stale.lease->token), errc::conflict));

  auto stored = first_worker->get("t1").value();
  EXPECT_EQ(stored.body, R"({"progress":"worker-2 step 1"})");
  EXPECT_EQ(stored.lease, current.lease);
  EXPECT_TRUE(second_worker->renew("t1", current.lease->token, seconds{10}));
}

TEST_F(PostgresStoreTest, WaitForWorkReturnsAtOnceWhenWorkExistsAndTimesOutWhenNone) {
  auto store = open();
  ASSERT_TRUE(store);
  auto start = Stopwatch::now();
  auto none = store->wait_for_work(milliseconds{200});
  ASSERT_TRUE(none) << none.error().message;
  EXPECT_FALSE(none.value());
  EXPECT_GE(Stopwatch::now() - start, milliseconds{200});

  ASSERT_TRUE(store->create(new_task("t1")));
  start = Stopwatch::now();
  auto some = store->wait_for_work(seconds{10});
  ASSERT_TRUE(some) << some.error().message;
  EXPECT_TRUE(some.value());
  EXPECT_LT(Stopwatch::now() - start, seconds{1});
  EXPECT_TRUE(fails_with(store->wait_for_work(milliseconds{-1}), errc::invalid_argument));
}

// The notification, not the poll, wakes the worker: the poll interval is 30 s, the wake-up must
// come within a fraction of a second of the other store's commit.
TEST_F(PostgresStoreTest, AnIdleWorkerIsWokenByAnotherStoresNewTask) {
  auto worker = open_idle_worker();
  auto producer = open();
  ASSERT_TRUE(worker && producer);
  // Warm up: the listener connects on the first wait.
  ASSERT_FALSE(worker->wait_for_work(milliseconds{50}).value());

  constexpr int kRounds = 5;
  std::vector<double> latencies_ms;
  for (int round = 0; round < kRounds; ++round) {
    std::atomic<bool> woke{false};
    Stopwatch::time_point woke_at{};
    std::thread waiter([&] {
      auto got = worker->wait_for_work(seconds{20});
      woke_at = Stopwatch::now();
      woke = got && got.value();
    });
    std::this_thread::sleep_for(milliseconds{100});
    ASSERT_TRUE(producer->create(new_task("t" + std::to_string(round))));
    auto created_at = Stopwatch::now();
    waiter.join();
    ASSERT_TRUE(woke.load());
    latencies_ms.push_back(std::chrono::duration<double, std::milli>(woke_at - created_at).count());
    // Take the task, so the next round starts idle again.
    ASSERT_TRUE(producer->claim("w", seconds{60}).value().has_value());
  }
  std::sort(latencies_ms.begin(), latencies_ms.end());
  double median = latencies_ms[kRounds / 2];
  RecordProperty("wake_latency_median_us", static_cast<int>(median * 1000));
  RecordProperty("wake_latency_max_us", static_cast<int>(latencies_ms.back() * 1000));
  EXPECT_LT(latencies_ms.back(), 1000.0) << "a wake-up took as long as a poll would";
}

TEST_F(PostgresStoreTest, AWorkWatchIsCalledOnAnotherStoresNewTaskUntilDestroyed) {
  auto worker = open_idle_worker();
  auto producer = open();
  ASSERT_TRUE(worker && producer);
  std::mutex mutex;
  std::condition_variable called;
  int calls = 0;
  auto watch = worker->watch_work([&] {
    std::lock_guard lock(mutex);
    ++calls;
    called.notify_all();
  });
  ASSERT_NE(watch, nullptr);
  // The listener connects in the background; wait_for_work waits for it the first time.
  ASSERT_FALSE(worker->wait_for_work(milliseconds{50}).value());
  ASSERT_TRUE(producer->create(new_task("t1")));
  {
    std::unique_lock lock(mutex);
    ASSERT_TRUE(called.wait_for(lock, seconds{10}, [&] { return calls > 0; }))
        << "no call for a task made runnable elsewhere";
  }
  // A claim sends no notice: after it the queue is empty again.
  ASSERT_TRUE(producer->claim("w", seconds{60}).value().has_value());
  watch.reset();
  const int before = [&] {
    std::lock_guard lock(mutex);
    return calls;
  }();
  std::thread waiter([&] { EXPECT_TRUE(worker->wait_for_work(seconds{10}).value()); });
  std::this_thread::sleep_for(milliseconds{100});
  ASSERT_TRUE(producer->create(new_task("t2")));
  // The notice of t2 reaches the waiter, but no longer the destroyed watch.
  waiter.join();
  std::this_thread::sleep_for(milliseconds{200});
  std::lock_guard lock(mutex);
  EXPECT_EQ(calls, before);
}

TEST_F(PostgresStoreTest, AReleasedTaskWakesAnIdleWorker) {
  auto worker = open_idle_worker();
  auto holder = open();
  ASSERT_TRUE(worker && holder);
  ASSERT_TRUE(holder->create(new_task("t1")));
  auto held = holder->claim("holder", seconds{600}).value().value();
  ASSERT_FALSE(worker->wait_for_work(milliseconds{50}).value());

  std::atomic<bool> woke{false};
  std::thread waiter([&] {
    auto got = worker->wait_for_work(seconds{20});
    woke = got && got.value();
  });
  std::this_thread::sleep_for(milliseconds{100});
  auto start = Stopwatch::now();
  ASSERT_TRUE(holder->release("t1", held.lease->token));
  waiter.join();
  EXPECT_TRUE(woke.load());
  EXPECT_LT(Stopwatch::now() - start, seconds{2});
}

TEST_F(PostgresStoreTest, AnExpiringLeaseWakesAnIdleWorker) {
  auto store = open_idle_worker();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->create(new_task("t1")));
  ASSERT_TRUE(store->claim("crashed", milliseconds{300}).value().has_value());
  auto start = Stopwatch::now();
  auto got = store->wait_for_work(seconds{20});
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_TRUE(got.value());
  EXPECT_LT(Stopwatch::now() - start, seconds{3});
  EXPECT_TRUE(store->claim("rescuer", seconds{60}).value().has_value());
}

}  // namespace
}  // namespace opsgraph::store::testing
