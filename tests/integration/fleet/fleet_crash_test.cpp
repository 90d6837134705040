// A fleet on one machine as the product runs it: two HTTP front ends (`opsgraphd --no-worker`) and
// three workers on one database, 2,000 requests submitted over HTTP by a few clients while one
// worker is killed with SIGKILL about every second and started again. Every task completes exactly
// once, no step runs again after its checkpoint, no acknowledged request is lost, and each task's
// events are complete and in order. A second test kills a front end in the middle of the
// submission: what it acknowledged is stored, and the clients carry on with the other one.

#include <signal.h>
#include <sys/wait.h>

#include <opsgraph/core/json.hpp>
#include <thread>

#include "fleet_fixture.hpp"
#include "http_submission.hpp"
#include "support/http_client.hpp"

namespace opsgraph::fleet {
namespace {

constexpr int kTasks = 2000;
constexpr int kWorkers = 3;
constexpr std::size_t kFrontEnds = 2;
constexpr int kClientThreads = 4;
constexpr auto kKillEvery = 1s;
// Long enough that a live worker mostly keeps its leases on a loaded machine (two cores,
// sanitizers). One that loses a lease anyway has its late checkpoint and record writes refused
// and stops its run; the next owner repeats only the step that was in flight.
constexpr int kLeaseTtlMs = 3000;
constexpr WorkerFlags kFlags{.max_tasks = 8, .lease_ttl_ms = kLeaseTtlMs, .poll_ms = 100};

std::string worker_name(int slot) {
  return "worker-" + std::to_string(slot);
}

std::string front_end_name(std::size_t index) {
  return "opsgraphd-" + std::to_string(index);
}

class FleetHttpTest : public FleetTest {
 protected:
  /// The mock, the workers, an operator key and the front ends, on a fresh schema.
  void start_fleet() {
    ASSERT_NO_FATAL_FAILURE(start_mock(20ms, 50ms));
    ASSERT_NO_FATAL_FAILURE(use_database());
    for (int slot = 0; slot < kWorkers; ++slot) {
      workers_.push_back(start_worker(worker_name(slot), kFlags));
      ASSERT_TRUE(workers_.back());
    }
    secret_ = make_key("operator");
    ASSERT_FALSE(secret_.empty());
    for (std::size_t index = 0; index < kFrontEnds; ++index) {
      front_ends_.push_back(start_front_end(front_end_name(index)));
      ASSERT_TRUE(front_ends_.back());
      ports_.set(index, front_ends_.back()->port);
    }
  }

  /// Requests number `first` to `first + count - 1`, from kClientThreads clients.
  SubmissionOptions requests(int first, int count) const {
    return {.first = first,
            .count = count,
            .threads = kClientThreads,
            .secret = secret_,
            .request_text = cpu_request};
  }

  void kill_and_restart_worker(int slot) {
    workers_[slot]->signal(SIGKILL);
    ASSERT_TRUE(workers_[slot]->wait(10s));
    ++kills_;
    workers_[slot] = start_worker(worker_name(slot), kFlags);
    ASSERT_TRUE(workers_[slot]);
  }

  void kill_front_end(std::size_t index) {
    front_ends_[index]->process.signal(SIGKILL);
    ASSERT_TRUE(front_ends_[index]->process.wait(10s));
  }

  /// Starts the front end again, on another port that the clients then use.
  void restart_front_end(std::size_t index) {
    front_ends_[index] = start_front_end(front_end_name(index));
    ASSERT_TRUE(front_ends_[index]);
    ports_.set(index, front_ends_[index]->port);
  }

  /// Every request was acknowledged once, none refused or given up.
  void expect_all_acknowledged(const SubmissionResult& submitted, int count) {
    EXPECT_EQ(submitted.acknowledged.size(), static_cast<std::size_t>(count));
    EXPECT_TRUE(submitted.refused.empty())
        << submitted.refused.size() << " refused, the first: " << submitted.refused.front();
    EXPECT_EQ(submitted.abandoned, 0);
  }

  /// Every acknowledged task completed exactly once, and the store holds no other.
  void expect_completed_once_and_none_lost(const std::vector<std::string>& ids) {
    const auto tasks = wait_all(ids, 60s);
    ASSERT_EQ(tasks.size(), ids.size());
    for (const auto& [id, task] : tasks)
      expect_completed_once(task, /*planned=*/1);
    expect_none_lost(ids);
  }

  /// A few of the tasks, read back over HTTP from each front end: completed.
  void expect_each_front_end_serves(const std::vector<std::string>& ids) {
    ASSERT_FALSE(ids.empty());
    const testing::Headers auth{{"Authorization", "Bearer " + secret_}};
    for (const auto& front_end : front_ends_) {
      testing::HttpClient client(front_end->port);
      ASSERT_FALSE(client.connect_error()) << client.connect_error().message();
      for (std::size_t i = 0; i < ids.size(); i += ids.size() / 5 + 1) {
        const auto reply = client.request("GET", "/api/v1/tasks/" + ids[i], {}, auth);
        ASSERT_EQ(reply.status, 200u) << reply.error.message() << " " << reply.body;
        const auto answer = reply.json();
        const auto* status = answer.find("status");
        EXPECT_TRUE(status != nullptr && status->is_string() && *status->if_string() == "completed")
            << reply.body;
      }
    }
  }

  /// SIGTERM to every worker and front end: each stops cleanly.
  void stop_fleet() {
    std::vector<WorkerProcess*> processes;
    for (auto& worker : workers_)
      processes.push_back(&*worker);
    for (auto& front_end : front_ends_)
      processes.push_back(&front_end->process);
    for (auto* process : processes)
      process->signal(SIGTERM);
    for (auto* process : processes) {
      const auto status = process->wait(30s);
      ASSERT_TRUE(status) << process->started_line() << ": did not stop on SIGTERM";
      EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0)
          << process->started_line() << ": " << *status;
    }
  }

  std::vector<std::optional<WorkerProcess>> workers_;
  std::vector<std::optional<FrontEnd>> front_ends_;
  FrontEndPorts ports_{kFrontEnds};
  std::string secret_;
  int kills_ = 0;
};

TEST_F(FleetHttpTest, EveryTaskCompletesOnceWhileWorkersAreKilled) {
  ASSERT_NO_FATAL_FAILURE(start_fleet());
  HttpSubmission submission(ports_, requests(0, kTasks));

  // A worker dies every second from the first request until every acknowledged task is final.
  std::optional<SubmissionResult> submitted;
  const auto deadline = std::chrono::steady_clock::now() + 150s;
  while (std::chrono::steady_clock::now() < deadline) {
    if (!submitted && submission.done())
      submitted = submission.finish();
    if (submitted && final_count(submitted->acknowledged) == submitted->acknowledged.size())
      break;
    std::this_thread::sleep_for(kKillEvery);
    ASSERT_NO_FATAL_FAILURE(kill_and_restart_worker(kills_ % kWorkers));
  }
  if (!submitted)
    submitted = submission.finish();
  expect_all_acknowledged(*submitted, kTasks);
  EXPECT_EQ(submitted->transport_errors, 0) << "no front end died";
  for (std::size_t index = 0; index < kFrontEnds; ++index)
    EXPECT_GT(submission.acknowledged_by(index), 0u) << front_end_name(index);

  const auto& ids = submitted->acknowledged;
  ASSERT_NO_FATAL_FAILURE(expect_completed_once_and_none_lost(ids));
  EXPECT_GE(kills_, 2) << "workers died while tasks were running";
  RecordProperty("kills", kills_);
  RecordProperty("planner_calls", static_cast<int>(calls_to("planner")));
  std::cerr << "kills: " << kills_ << ", LLM calls: " << mock_->stats().total_requests << " for "
            << 4 * kTasks << " needed (steps in flight at a kill ran again)\n";

  ASSERT_NO_FATAL_FAILURE(expect_each_front_end_serves(ids));
  stop_fleet();
}

TEST_F(FleetHttpTest, RequestsAcknowledgedByAKilledFrontEndAreNotLost) {
  constexpr int kRequests = 600;
  constexpr int kAfterRestart = 100;
  ASSERT_NO_FATAL_FAILURE(start_fleet());
  HttpSubmission submission(ports_, requests(0, kRequests));

  // The first front end dies once a third of the requests are in, and is started again.
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (submission.acknowledged_by(0) + submission.acknowledged_by(1) < kRequests / 3 &&
         std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(5ms);
  ASSERT_NO_FATAL_FAILURE(kill_front_end(0));
  const auto before_kill = submission.acknowledged_by(0);
  ASSERT_NO_FATAL_FAILURE(restart_front_end(0));
  auto submitted = submission.finish();

  // Requests in flight at the kill failed on the client side and went to the other front end
  // with the same Idempotency-Key: every request is acknowledged once, and stored once.
  expect_all_acknowledged(submitted, kRequests);
  EXPECT_GT(before_kill, 0u) << "the killed front end had acknowledged requests";
  RecordProperty("acknowledged_before_kill", static_cast<int>(before_kill));
  RecordProperty("transport_errors", submitted.transport_errors);
  std::cerr << front_end_name(0) << " acknowledged " << before_kill << " requests before its kill; "
            << submitted.transport_errors << " attempts got no answer and were sent again\n";

  // The restarted front end takes requests again (the first submission may have ended before it
  // was up: it takes seconds to start on a loaded machine).
  HttpSubmission after_restart(ports_, requests(kRequests, kAfterRestart));
  const auto more = after_restart.finish();
  expect_all_acknowledged(more, kAfterRestart);
  EXPECT_EQ(more.transport_errors, 0);
  EXPECT_GT(after_restart.acknowledged_by(0), 0u) << "the restarted front end takes requests";
  submitted.acknowledged.insert(submitted.acknowledged.end(), more.acknowledged.begin(),
                                more.acknowledged.end());

  ASSERT_NO_FATAL_FAILURE(expect_completed_once_and_none_lost(submitted.acknowledged));
  ASSERT_NO_FATAL_FAILURE(expect_each_front_end_serves(submitted.acknowledged));
  stop_fleet();
}

}  // namespace
}  // namespace opsgraph::fleet
