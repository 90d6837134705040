// The Engine on a MemoryStore, a store that does not block: a task is claimed at once on the
// thread that made it runnable (execute, a decision, the end of another run) instead of by the
// worker thread, so claims come from several threads at once.

#include <atomic>
#include <map>
#include <mutex>
#include <opsgraph/store/memory_store.hpp>
#include <thread>

#include "engine_fixture.hpp"

namespace opsgraph::engine::testing {
namespace {

constexpr const char* kCpuRequest = "Diagnose why VM cpu01 hits 95% CPU and draft an email.";
constexpr const char* kRdpRequest =
    "Create Azure CLI commands to lock RDP (3389) on my three production VMs to 10.0.0.0/24.";

// Counts what the engine asks of its checkpointer; the calls go on to a MemoryStore.
class CountingCheckpointer final : public store::Checkpointer {
 public:
  explicit CountingCheckpointer(std::shared_ptr<store::MemoryStore> inner)
      : inner_(std::move(inner)) {}

  result<void> put(const store::Checkpoint& checkpoint) override {
    ++puts;
    return inner_->put(checkpoint);
  }
  result<std::optional<store::Checkpoint>> latest(std::string_view run_id) override {
    ++lookups;
    return inner_->latest(run_id);
  }
  result<std::vector<store::Checkpoint>> history(std::string_view run_id,
                                                 std::size_t limit) override {
    return inner_->history(run_id, limit);
  }
  result<void> erase(std::string_view run_id) override { return inner_->erase(run_id); }
  bool blocking() const noexcept override { return false; }

  std::atomic<int> puts{0};
  std::atomic<int> lookups{0};

 private:
  std::shared_ptr<store::MemoryStore> inner_;
};

// A MemoryStore that counts the reads of each task's record.
class ReadCountingStore final : public store::TaskStore {
 public:
  explicit ReadCountingStore(std::shared_ptr<store::MemoryStore> inner)
      : inner_(std::move(inner)) {}

  std::size_t reads_of(const std::string& id) {
    std::lock_guard lock(mutex_);
    return reads_[id];
  }

  result<store::TaskRecord> get(std::string_view id) override {
    {
      std::lock_guard lock(mutex_);
      ++reads_[std::string(id)];
    }
    return inner_->get(id);
  }
  result<store::Created> create(store::TaskRecord record) override {
    return inner_->create(std::move(record));
  }
  result<store::Created> create_with_events(store::TaskRecord record,
                                            std::span<const store::NewEvent> events) override {
    return inner_->create_with_events(std::move(record), events);
  }
  result<std::optional<store::TaskRecord>> find_by_idempotency_key(std::string_view key) override {
    return inner_->find_by_idempotency_key(key);
  }
  result<store::TaskRecord> update(const store::TaskRecord& record,
                                   std::uint64_t expected_version) override {
    return inner_->update(record, expected_version);
  }
  result<store::Updated> update_with_events(store::TaskRecord record,
                                            std::uint64_t expected_version,
                                            std::span<const store::NewEvent> events) override {
    return inner_->update_with_events(std::move(record), expected_version, events);
  }
  result<store::ListPage> list(const store::ListQuery& query) override {
    return inner_->list(query);
  }
  result<store::TaskEvent> append_event(std::string_view task_id, std::string_view type,
                                        std::string_view data_json) override {
    return inner_->append_event(task_id, type, data_json);
  }
  result<std::vector<store::TaskEvent>> events(std::string_view task_id, std::uint64_t after_seq,
                                               std::size_t limit) override {
    return inner_->events(task_id, after_seq, limit);
  }
  result<std::optional<store::TaskRecord>> claim(std::string_view worker,
                                                 std::chrono::milliseconds ttl) override {
    return inner_->claim(worker, ttl);
  }
  result<store::Lease> renew(std::string_view id, std::uint64_t token,
                             std::chrono::milliseconds ttl) override {
    return inner_->renew(id, token, ttl);
  }
  result<void> release(std::string_view id, std::uint64_t token) override {
    return inner_->release(id, token);
  }
  result<store::TaskCounts> count_tasks() override { return inner_->count_tasks(); }
  bool blocking() const noexcept override { return false; }

 private:
  std::shared_ptr<store::MemoryStore> inner_;
  std::mutex mutex_;
  std::map<std::string, std::size_t> reads_;
};

class MemoryStoreEngineTest : public EngineTest {
 protected:
  /// An engine on the test's MemoryStore, or on `tasks` and `checkpoints` when given (wrappers
  /// of it that count calls).
  std::unique_ptr<Engine> make_memory_engine(
      std::size_t max_running_tasks = 1024, std::shared_ptr<store::TaskStore> tasks = nullptr,
      std::shared_ptr<store::Checkpointer> checkpoints = nullptr) {
    return make_engine([&](EngineOptions& options) {
      options.store = tasks ? tasks : memory_;
      options.checkpointer = checkpoints ? checkpoints : memory_;
      options.max_running_tasks = max_running_tasks;
    });
  }

  /// The default answers (after any rules the test added) and the test's engine.
  void start(std::size_t max_running_tasks = 1024,
             std::shared_ptr<store::TaskStore> tasks = nullptr,
             std::shared_ptr<store::Checkpointer> checkpoints = nullptr) {
    add_default_rules();
    engine_ = make_memory_engine(max_running_tasks, std::move(tasks), std::move(checkpoints));
  }

  /// Executes the gated request and waits until its run has parked at the plan's gate. (An
  /// approval given while the run is still going, the diagnosis beside the gate, lets it carry on
  /// without parking.)
  TaskSnapshot park_gated_task() {
    auto parked = wait(execute(kRdpRequest).task_id, WaitFor::settled);
    EXPECT_EQ(parked.status, TaskStatus::waiting_approval);
    for (int i = 0; i < 500 && engine().running_tasks() > 0; ++i)
      std::this_thread::sleep_for(10ms);
    EXPECT_EQ(engine().running_tasks(), 0u);
    return parked;
  }

  std::shared_ptr<store::MemoryStore> memory_ = std::make_shared<store::MemoryStore>();
};

TEST_F(MemoryStoreEngineTest, ATaskRunsToCompletion) {
  start();
  auto queued = execute(kCpuRequest);
  auto task = wait(queued.task_id, WaitFor::final);
  ASSERT_EQ(task.status, TaskStatus::completed) << json::encode(task);
  EXPECT_EQ(task.usage.llm_calls, 4);
  EXPECT_TRUE(task.script);
  EXPECT_TRUE(task.email_draft);
}

TEST_F(MemoryStoreEngineTest, AnApprovalStartsTheGatedTaskAgain) {
  start();
  auto queued = execute(kRdpRequest);
  auto gated = wait(queued.task_id, WaitFor::settled);
  ASSERT_EQ(gated.status, TaskStatus::waiting_approval) << json::encode(gated);
  ASSERT_TRUE(gated.plan);
  ApproveRequest approve;
  approve.actor = "alice";
  approve.hash = gated.plan->hash;
  ASSERT_TRUE(engine().approve(queued.task_id, approve));
  auto done = wait(queued.task_id, WaitFor::final);
  ASSERT_EQ(done.status, TaskStatus::completed) << json::encode(done);
  ASSERT_TRUE(done.script);
  EXPECT_TRUE(done.script->draft.rollback_code);
}

// A task's first run starts from the state it was created with: there is no checkpoint to look
// for. It saves one as it starts and one after each step that holds an LLM answer (the plan with
// the diagnosis beside it, the script's draft, the writing); the quick steps (the gates, the
// script check, the aggregate) save none. (It must save its start: once the plan is published,
// the record no longer holds the state a run that lost its first step would start from.)
TEST_F(MemoryStoreEngineTest, AFirstRunLooksUpNoCheckpointAndSavesOnlyItsLlmSteps) {
  auto counting = std::make_shared<CountingCheckpointer>(memory_);
  start(1024, nullptr, counting);
  auto queued = execute(kCpuRequest);
  ASSERT_EQ(wait(queued.task_id, WaitFor::final).status, TaskStatus::completed);
  EXPECT_EQ(counting->lookups.load(), 0);
  // After the plan, the diagnosis and the documents; the initial state is in the task's record.
  EXPECT_EQ(counting->puts.load(), 3);

  // A run resumed at its gate does look: it continues from the checkpoint it parked with.
  auto parked = park_gated_task();
  ASSERT_TRUE(parked.plan);
  EXPECT_EQ(counting->lookups.load(), 0);
  ApproveRequest approve;
  approve.actor = "alice";
  approve.hash = parked.plan->hash;
  ASSERT_TRUE(engine().approve(parked.task_id, approve));
  ASSERT_EQ(wait(parked.task_id, WaitFor::final).status, TaskStatus::completed);
  EXPECT_GE(counting->lookups.load(), 1);
}

// A subscriber may act on what it is told from inside its callback: approve the plan it is shown,
// then end its own subscription.
TEST_F(MemoryStoreEngineTest, ASubscriberMayApproveAndUnsubscribeFromItsCallback) {
  start();
  std::atomic<int> approved{0};
  std::atomic<bool> ended{false};
  Subscription subscription;
  subscription = engine().subscribe("", [&](const TaskEvent& event) {
    if (event.type != "status" || event.data.find("\"waiting_approval\"") == std::string::npos)
      return;
    ApproveRequest approve;
    approve.actor = "policy-bot";
    if (engine().approve(event.task_id, approve))
      ++approved;
    subscription.reset();
    ended = true;
  });
  auto task = wait(execute(kRdpRequest).task_id, WaitFor::final);
  EXPECT_EQ(task.status, TaskStatus::completed) << json::encode(task);
  ASSERT_EQ(task.approvals.size(), 1u);
  EXPECT_EQ(task.approvals.front().actor, "policy-bot");
  for (int i = 0; i < 500 && !ended; ++i)
    std::this_thread::sleep_for(10ms);
  EXPECT_TRUE(ended);
  EXPECT_EQ(approved.load(), 1);
  // Unsubscribed: the next gated task waits for a human.
  EXPECT_EQ(park_gated_task().status, TaskStatus::waiting_approval);
  EXPECT_EQ(approved.load(), 1);
}

// wait() looks at its task when that task changes (or every 200 ms, for changes made by other
// processes), not whenever any task does.
TEST_F(MemoryStoreEngineTest, AWaiterLooksOnlyWhenItsOwnTaskChanges) {
  auto counting = std::make_shared<ReadCountingStore>(memory_);
  start(1024, counting);
  auto gated = park_gated_task();
  const auto reads_before = counting->reads_of(gated.task_id);

  std::thread waiter([&] { (void)engine().wait(gated.task_id, WaitFor::final, 1s); });
  std::vector<std::string> others;
  for (int i = 0; i < 10; ++i)
    others.push_back(execute(kCpuRequest).task_id);
  for (const auto& id : others)
    EXPECT_EQ(wait(id, WaitFor::final).status, TaskStatus::completed);
  waiter.join();

  // Ten tasks made hundreds of events meanwhile; the waiter looked about once per 200 ms.
  EXPECT_LE(counting->reads_of(gated.task_id) - reads_before, 10u);
}

TEST_F(MemoryStoreEngineTest, ClaimsFromManyThreadsKeepToTheLimit) {
  // A diagnosis that takes a while, so that runs overlap.
  auto slow = answer_rule(kDiagnostic, diagnosis_answer());
  auto latency = mock::parse_fault("latency_ms=5");
  ASSERT_TRUE(latency);
  slow.responses.front().fault = latency.value();
  add_rule(std::move(slow));
  start(/*max_running_tasks=*/2);
  std::atomic<bool> sampling{true};
  std::atomic<std::size_t> peak{0};
  std::thread sampler([&] {
    while (sampling.load()) {
      const auto now = engine().running_tasks();
      if (now > peak.load())
        peak.store(now);
      std::this_thread::yield();
    }
  });
  constexpr int kThreads = 4;
  constexpr int kTasksEach = 4;
  std::vector<std::vector<std::string>> ids(kThreads);
  std::vector<std::thread> callers;
  for (int t = 0; t < kThreads; ++t) {
    callers.emplace_back([&, t] {
      for (int i = 0; i < kTasksEach; ++i)
        ids[t].push_back(execute(kCpuRequest).task_id);
    });
  }
  for (auto& caller : callers)
    caller.join();
  for (const auto& some : ids) {
    for (const auto& id : some)
      EXPECT_EQ(wait(id, WaitFor::final).status, TaskStatus::completed) << id;
  }
  sampling.store(false);
  sampler.join();
  EXPECT_GE(peak.load(), 1u);
  EXPECT_LE(peak.load(), 2u);
}

TEST_F(MemoryStoreEngineTest, TasksQueuedAsTheEngineClosesAreLeftToTheNextOne) {
  start();
  std::vector<std::string> ids;
  for (int i = 0; i < 12; ++i)
    ids.push_back(execute(kCpuRequest).task_id);
  engine_.reset();  // mid-flight: some tasks done, some running, some not yet claimed
  engine_ = make_memory_engine();
  for (const auto& id : ids)
    EXPECT_EQ(wait(id, WaitFor::final, 20s).status, TaskStatus::completed) << id;
}

}  // namespace
}  // namespace opsgraph::engine::testing
