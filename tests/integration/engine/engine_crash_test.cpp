// A process killed mid-task, and another one on the same SQLite file finishing it from the last
// checkpoint without repeating finished steps.

#include <signal.h>

#include "engine_fixture.hpp"
#include "support/child_process.hpp"

namespace opsgraph::engine::testing {
namespace {

constexpr const char* kRequest =
    "Diagnose why Windows Server 2019 VM cpu01 hits 95%+ CPU and give me a PowerShell script to "
    "collect perfmon logs.";

TEST_F(EngineTest, ATaskSurvivesItsProcessBeingKilled) {
  // The first diagnosis request hangs: the child is killed while it waits for it.
  add_rule(fault_rule(kDiagnostic, "hang", 1));
  add_default_rules();
  auto child = opsgraph::testing::ChildProcess::spawn(OPSGRAPH_ENGINE_CHILD,
                                                      {db_path_, server_->base_url(), kRequest});
  ASSERT_TRUE(child);
  auto id = child->read_line(30s);
  ASSERT_TRUE(id) << "the child printed no task id";

  // Wait until the child has planned (checkpointed) and is stuck in the diagnosis.
  for (int i = 0; i < 3000 && calls_to(std::string(kDiagnostic) + " fault") == 0; ++i)
    std::this_thread::sleep_for(10ms);
  ASSERT_EQ(calls_to(std::string(kDiagnostic) + " fault"), 1u);
  child->kill(SIGKILL);
  child->wait();
  auto before = store_->get(*id);
  ASSERT_TRUE(before);
  EXPECT_EQ(before.value().status, "in_progress");

  // This process's engine claims the task once the dead child's lease expires.
  auto task = wait(*id, WaitFor::final, 60s);
  ASSERT_EQ(task.status, TaskStatus::completed) << json::encode(task);
  EXPECT_EQ(calls_to(kPlanner), 1u) << "the finished plan step did not run again";
  EXPECT_EQ(calls_to(kDiagnostic), 1u) << "the diagnosis in flight ran again, once";
  EXPECT_TRUE(task.diagnosis);
  EXPECT_TRUE(task.script);
}

TEST_F(EngineTest, StoppingAnEngineLeavesItsTasksForTheNext) {
  add_rule(fault_rule(kDiagnostic, "hang", 1));
  add_default_rules();
  std::string id;
  {
    auto first = make_engine();
    ExecuteRequest request;
    request.request = kRequest;
    id = first->execute(request).value().task_id;
    for (int i = 0; i < 3000 && calls_to(std::string(kDiagnostic) + " fault") == 0; ++i)
      std::this_thread::sleep_for(10ms);
  }  // destroyed mid-diagnosis: the run is cancelled and the task released, still runnable
  auto task = wait(id, WaitFor::final);
  ASSERT_EQ(task.status, TaskStatus::completed) << json::encode(task);
  EXPECT_EQ(calls_to(kPlanner), 1u);
}

}  // namespace
}  // namespace opsgraph::engine::testing
