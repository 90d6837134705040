// The front end and the worker as an operator runs them: `opsgraph submit` records a request and
// runs nothing; `opsgraph worker` on the same database runs it, and stops cleanly on SIGINT.

#include <signal.h>
#include <sys/wait.h>

#include "fleet_fixture.hpp"

namespace opsgraph::fleet {
namespace {

TEST_F(FleetTest, SubmitRecordsAndAWorkerRunsTheTask) {
  start_mock(20ms, 50ms);
  use_database();
  const auto submitted =
      run_command(OPSGRAPH_CLI_PATH,
                  {"submit", "--config", config_path_, "--require-approval=false", cpu_request(1)},
                  log_of("submit"), 60s);
  ASSERT_EQ(submitted.exit_code, 0) << read_file(log_of("submit"));
  ASSERT_FALSE(submitted.out.empty());
  const std::string id = submitted.out.substr(0, submitted.out.find('\n'));
  auto queued = front().status(id);
  ASSERT_TRUE(queued) << queued.error().message;
  EXPECT_EQ(queued.value().status, TaskStatus::queued) << "submit ran nothing";
  EXPECT_EQ(mock_->stats().total_requests, 0u);

  auto worker = start_worker("worker", WorkerFlags{});
  ASSERT_TRUE(worker);
  EXPECT_NE(worker->started_line().find("worker: started on postgres, schema " + schema_),
            std::string::npos)
      << worker->started_line();
  const auto tasks = wait_all({id}, 60s);
  ASSERT_EQ(tasks.size(), 1u);
  expect_completed_once(tasks.at(id), /*planned=*/1);

  worker->signal(SIGINT);
  const auto status = worker->wait(30s);
  ASSERT_TRUE(status);
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << *status;
  const std::string out = worker->drain_stdout(5s);
  EXPECT_NE(out.find("worker: stopped"), std::string::npos) << out;
}

}  // namespace
}  // namespace opsgraph::fleet
