#pragma once
// A fleet on one PostgreSQL database: `opsgraph worker` processes running tasks, `opsgraphd
// --no-worker` processes as HTTP front ends, a front end in the test process that only records
// and reads (an Engine with run_tasks = false: the tests' submissions and their oracle straight
// from the store), and the mock LLM server answering every agent of the demo's CPU request after
// a small latency. Each test gets a schema of its own on the shared cluster (the ctest fixture
// opsgraph_postgres), or a private cluster when it restarts the server.

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <opsgraph/coordinator/task_snapshot.hpp>
#include <opsgraph/engine/engine.hpp>
#include <opsgraph/mock/llm_server.hpp>
#include <string>
#include <vector>

#include "support/temp_dir.hpp"
#include "worker_process.hpp"

namespace opsgraph::fleet {

using namespace std::chrono_literals;
using coordinator::TaskSnapshot;
using coordinator::TaskStatus;

/// The demo's CPU request, told apart by its ticket number.
std::string cpu_request(int ticket);

/// An `opsgraphd --no-worker` process: an HTTP front end on 127.0.0.1:port that records requests
/// and serves reads, running no task.
struct FrontEnd {
  WorkerProcess process;
  std::uint16_t port = 0;
};

/// What a worker is told besides the store and the LLM.
struct WorkerFlags {
  int max_tasks = 8;
  int lease_ttl_ms = 1000;
  int poll_ms = 100;
};

class FleetTest : public ::testing::Test {
 protected:
  void TearDown() override;

  /// Starts the mock with the demo's answers, each after a latency drawn from [min, max].
  void start_mock(std::chrono::milliseconds min, std::chrono::milliseconds max);
  /// Points the fleet at `dsn` (the shared cluster when empty), in a fresh schema, and writes the
  /// config file of the workers and front ends. Call after start_mock.
  void use_database(std::string dsn = "");

  /// Starts `opsgraph worker --worker-id NAME` on the test's config; its stderr goes to
  /// log_of(name).
  std::optional<WorkerProcess> start_worker(const std::string& name, const WorkerFlags& flags);
  std::string log_of(const std::string& name) const;
  /// Starts `opsgraphd --no-worker` on the test's config and a free port; its stderr goes to
  /// log_of(name).
  std::optional<FrontEnd> start_front_end(const std::string& name);
  /// The secret of a new API key with `role`, made by `opsgraph keys create` on the test's store.
  std::string make_key(const std::string& role);

  /// The recording front end (made on first use).
  engine::Engine& front();
  /// Submits `count` CPU requests through the front end; their ids, in order.
  std::vector<std::string> submit(int count);
  /// Waits until every task is final (or `timeout` passes) and returns them as they then are.
  /// Tolerates store errors while it waits (the database may be restarting).
  std::map<std::string, TaskSnapshot> wait_all(const std::vector<std::string>& ids,
                                               std::chrono::milliseconds timeout);
  /// How many of `ids` are final now (store errors count as not final).
  std::size_t final_count(const std::vector<std::string>& ids);

  /// The task completed exactly once: one "completed" status event, four LLM calls recorded (no
  /// step ran again after its checkpoint) and events numbered 1, 2, 3... in order, "created"
  /// first. `planned`
  /// (when set) is the number of "planned" events expected.
  void expect_completed_once(const TaskSnapshot& task, std::optional<int> planned = std::nullopt);
  /// Every submitted task is in the store, and nothing else.
  void expect_none_lost(const std::vector<std::string>& ids);

  /// Chat requests the mock answered with the demo rule of `agent` (planner, diagnosis, ...).
  std::uint64_t calls_to(const std::string& agent) const;

  opsgraph::testing::TempDir dir_;
  std::unique_ptr<mock::MockLlmServer> mock_;
  std::string dsn_;
  std::string schema_;
  std::string config_path_;
  std::unique_ptr<engine::Engine> front_;
  bool dumped_ = false;
};

/// "NAME: <the last lines of its log>" for failure messages.
std::string log_tail(const std::string& path, std::size_t lines = 20);

}  // namespace opsgraph::fleet
