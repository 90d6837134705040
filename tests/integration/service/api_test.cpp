// Every endpoint of the HTTP API and its status codes, over a real connection.

#include <opsgraph/service/routes.hpp>
#include <set>

#include "service_fixture.hpp"

namespace opsgraph::service::testing {
namespace {

bool is_status(const json::Value& task, std::string_view status) {
  return text_of(task, "status") == status;
}

const json::Value& member(const json::Value& value, std::string_view name) {
  static const json::Value kNull;
  const auto* found = value.find(name);
  return found != nullptr ? *found : kNull;
}

TEST_F(ServiceTest, ExecuteAnswers202WithThePlanAndRisk) {
  auto reply = call("POST", "/api/v1/execute", execute_body(kCpuRequest), Role::operator_role);
  ASSERT_TRUE(reply.status == 202 || reply.status == 200) << reply.body;
  auto task = reply.json();
  const auto id = text_of(task, "task_id");
  ASSERT_FALSE(id.empty());
  EXPECT_EQ(reply.header("location"), "/api/v1/tasks/" + id);
  const auto& plan = member(task, "plan");
  ASSERT_TRUE(plan.is_object()) << reply.body;
  EXPECT_TRUE(member(plan, "steps").is_array());
  EXPECT_FALSE(text_of(plan, "summary").empty());
  EXPECT_TRUE(text_of(plan, "hash").starts_with("sha256:"));
  EXPECT_TRUE(member(plan, "step_details").is_array());
  EXPECT_FALSE(text_of(member(task, "risk"), "level").empty());
  EXPECT_EQ(text_of(task, "requester"), key_id(Role::operator_role));
}

TEST_F(ServiceTest, ExecuteWithWaitZeroAnswersAtOnceAndWithSecondsWaitsForTheEnd) {
  auto at_once = execute_http(kCpuRequest, "?wait=0");
  EXPECT_TRUE(member(at_once, "plan").is_null()) << json::dump(at_once);
  auto finished =
      call("POST", "/api/v1/execute?wait=30", execute_body(kCpuRequest), Role::operator_role);
  EXPECT_EQ(finished.status, 200u) << finished.body;
  auto task = finished.json();
  EXPECT_EQ(text_of(task, "status"), "completed");
  EXPECT_FALSE(text_of(member(task, "script"), "code").empty());
  EXPECT_FALSE(text_of(task, "email_draft").empty());
  EXPECT_EQ(
      call("POST", "/api/v1/execute?wait=soon", execute_body(kCpuRequest), Role::operator_role)
          .status,
      422u);
}

TEST_F(ServiceTest, ExecuteHonoursTheIdempotencyKey) {
  const Headers once{{"Idempotency-Key", "ticket-4711"}};
  auto first =
      call("POST", "/api/v1/execute?wait=0", execute_body(kCpuRequest), Role::operator_role, once);
  auto second =
      call("POST", "/api/v1/execute?wait=0", execute_body(kCpuRequest), Role::operator_role, once);
  ASSERT_EQ(first.status, 202u) << first.body;
  EXPECT_EQ(text_of(first.json(), "task_id"), text_of(second.json(), "task_id"));
}

TEST_F(ServiceTest, ExecuteRefusesBadBodiesWithProblemDetails) {
  auto unknown = call("POST", "/api/v1/execute", execute_body(kCpuRequest, {{"risk", "low"}}),
                      Role::operator_role);
  EXPECT_EQ(unknown.status, 422u) << unknown.body;
  EXPECT_EQ(unknown.header("content-type"), "application/problem+json");
  auto problem = unknown.json();
  EXPECT_EQ(member(problem, "status").as_double(), 422);
  EXPECT_FALSE(text_of(problem, "detail").empty());
  ASSERT_TRUE(member(problem, "errors").is_array()) << unknown.body;
  EXPECT_EQ(text_of(member(problem, "errors").if_array()->front(), "path"), "risk");

  EXPECT_EQ(call("POST", "/api/v1/execute", R"({"request": 42})", Role::operator_role).status,
            422u);
  EXPECT_EQ(call("POST", "/api/v1/execute", R"({})", Role::operator_role).status, 422u);
  EXPECT_EQ(call("POST", "/api/v1/execute", R"({"request": ""})", Role::operator_role).status,
            422u);
  EXPECT_EQ(call("POST", "/api/v1/execute", R"({"request": "x", "language": "cobol"})",
                 Role::operator_role)
                .status,
            422u);
  EXPECT_EQ(call("POST", "/api/v1/execute", R"({"request": "x",)", Role::operator_role).status,
            400u);
  EXPECT_EQ(
      call("POST", "/api/v1/execute", std::string(17 * 1024, 'a'), Role::operator_role, {}).status,
      400u);
  json::Object context;
  for (int i = 0; i < 33; ++i)
    context.emplace_back("k" + std::to_string(i), "v");
  EXPECT_EQ(
      call("POST", "/api/v1/execute",
           execute_body("x", {{"context", json::Value(std::move(context))}}), Role::operator_role)
          .status,
      422u);
  auto too_long = call("POST", "/api/v1/execute", execute_body(std::string(16 * 1024 + 1, 'a')),
                       Role::operator_role);
  EXPECT_EQ(too_long.status, 413u) << too_long.body;
  HttpClient client(port());
  const std::string text(kCpuRequest);
  auto plain = client.raw(
      "POST /api/v1/execute HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: "
      "Bearer " +
      secret(Role::operator_role) + "\r\nContent-Type: text/plain\r\nContent-Length: " +
      std::to_string(text.size()) + "\r\n\r\n" + text);
  EXPECT_EQ(plain.status, 415u) << plain.body;
}

TEST_F(ServiceTest, GetTaskReturnsTheWholeRecordWithItsTimeline) {
  auto done =
      call("POST", "/api/v1/execute?wait=30", execute_body(kCpuRequest), Role::operator_role);
  const auto id = text_of(done.json(), "task_id");
  auto reply = call("GET", "/api/v1/tasks/" + id, {}, Role::viewer);
  ASSERT_EQ(reply.status, 200u) << reply.body;
  auto task = reply.json();
  for (const char* name : {"status", "stage", "plan", "risk", "diagnosis", "script", "email_draft",
                           "summary", "action_items", "usage", "approvals"})
    EXPECT_NE(task.find(name), nullptr) << name;
  EXPECT_FALSE(text_of(member(task, "diagnosis"), "root_cause").empty());
  EXPECT_TRUE(member(member(task, "script"), "lint_passed").is_bool());
  EXPECT_TRUE(member(task, "duration_seconds").is_number());
  const auto& timeline = member(task, "timeline");
  ASSERT_TRUE(timeline.is_array());
  ASSERT_FALSE(timeline.if_array()->empty());
  EXPECT_EQ(text_of(timeline.if_array()->front(), "type"), "created");
  double last = 0;
  for (const auto& event : *timeline.if_array()) {
    EXPECT_GT(member(event, "seq").as_double(), last);
    last = member(event, "seq").as_double();
  }
  EXPECT_EQ(call("GET", "/api/v1/tasks/no-such-task", {}, Role::viewer).status, 404u);
}

TEST_F(ServiceTest, ListFiltersByStatusAndPagesWithACursor) {
  for (int i = 0; i < 3; ++i)
    execute_http(kCpuRequest, "?wait=30");
  auto gated = execute_http(kRdpRequest);
  auto waiting = call("GET", "/api/v1/tasks?status=waiting_approval", {}, Role::viewer);
  ASSERT_EQ(waiting.status, 200u) << waiting.body;
  const auto listed = waiting.json();
  const auto& tasks = *member(listed, "tasks").if_array();
  ASSERT_EQ(tasks.size(), 1u) << waiting.body;
  EXPECT_EQ(text_of(tasks.front(), "task_id"), text_of(gated, "task_id"));

  std::set<std::string> seen;
  std::string cursor;
  for (int page = 0; page < 10; ++page) {
    auto reply = call("GET", "/api/v1/tasks?limit=2" + (cursor.empty() ? "" : "&cursor=" + cursor),
                      {}, Role::viewer);
    ASSERT_EQ(reply.status, 200u) << reply.body;
    auto body = reply.json();
    for (const auto& task : *member(body, "tasks").if_array())
      seen.insert(text_of(task, "task_id"));
    cursor = text_of(body, "next_cursor");
    if (cursor.empty())
      break;
  }
  EXPECT_EQ(seen.size(), 4u);
  EXPECT_EQ(call("GET", "/api/v1/tasks?status=sleeping", {}, Role::viewer).status, 422u);
  EXPECT_EQ(call("GET", "/api/v1/tasks?limit=0", {}, Role::viewer).status, 422u);
  EXPECT_EQ(call("GET", "/api/v1/tasks?colour=red", {}, Role::viewer).status, 422u);
}

TEST_F(ServiceTest, ApprovalDecidesThePlanGateOnceWithItsHash) {
  auto task = execute_http(kRdpRequest);
  const auto id = text_of(task, "task_id");
  ASSERT_EQ(text_of(task, "status"), "waiting_approval") << json::dump(task);
  const auto hash = text_of(member(task, "plan"), "hash");

  auto stale = call("POST", "/api/v1/plans/" + id + "/approve", R"({"plan_hash": "sha256:0000"})",
                    Role::approver);
  EXPECT_EQ(stale.status, 409u) << stale.body;
  const auto body = json::dump(json::Object{{"plan_hash", hash}, {"comment", "change 42"}});
  auto approved = call("POST", "/api/v1/plans/" + id + "/approve", body, Role::approver);
  EXPECT_EQ(approved.status, 202u) << approved.body;
  auto again = call("POST", "/api/v1/plans/" + id + "/approve", body, Role::approver);
  EXPECT_EQ(again.status, 200u) << again.body;
  EXPECT_EQ(call("POST", "/api/v1/plans/" + id + "/reject", R"({"reason": "late"})", Role::approver)
                .status,
            409u);

  auto finished = poll_task(id, [](const json::Value& t) { return is_status(t, "completed"); });
  EXPECT_EQ(text_of(finished, "status"), "completed") << json::dump(finished);
  EXPECT_FALSE(text_of(member(finished, "script"), "rollback_code").empty());
  const auto& approvals = *member(finished, "approvals").if_array();
  ASSERT_EQ(approvals.size(), 1u);
  EXPECT_EQ(text_of(approvals.front(), "actor"), key_id(Role::approver));
  EXPECT_EQ(call("POST", "/api/v1/plans/nothing/approve", "", Role::approver).status, 404u);
}

TEST_F(ServiceTest, RejectionEndsTheTask) {
  const auto id = text_of(execute_http(kRdpRequest), "task_id");
  auto rejected = call("POST", "/api/v1/plans/" + id + "/reject",
                       R"({"reason": "not in a change window"})", Role::approver);
  ASSERT_EQ(rejected.status, 200u) << rejected.body;
  EXPECT_EQ(text_of(rejected.json(), "status"), "rejected");
  EXPECT_EQ(
      call("POST", "/api/v1/plans/" + id + "/reject", R"({"reason": "again"})", Role::approver)
          .status,
      200u);
  EXPECT_EQ(call("POST", "/api/v1/plans/" + id + "/approve", "", Role::approver).status, 409u);
  EXPECT_EQ(
      call("POST", "/api/v1/plans/" + id + "/reject", R"({"why": "x"})", Role::approver).status,
      422u);
}

TEST_F(ServiceTest, CancelAndRetryFollowTheTaskLifecycle) {
  const auto gated = text_of(execute_http(kRdpRequest), "task_id");
  auto cancelled = call("POST", "/api/v1/tasks/" + gated + "/cancel", "", Role::operator_role);
  ASSERT_EQ(cancelled.status, 200u) << cancelled.body;
  EXPECT_EQ(text_of(cancelled.json(), "status"), "cancelled");
  EXPECT_EQ(call("POST", "/api/v1/tasks/" + gated + "/cancel", "", Role::operator_role).status,
            200u);
  EXPECT_EQ(call("POST", "/api/v1/tasks/" + gated + "/retry", "", Role::operator_role).status,
            409u);

  auto done = execute_http(kCpuRequest, "?wait=30");
  const auto id = text_of(done, "task_id");
  EXPECT_EQ(call("POST", "/api/v1/tasks/" + id + "/cancel", "", Role::operator_role).status, 409u);
  EXPECT_EQ(call("POST", "/api/v1/tasks/missing/retry", "", Role::operator_role).status, 404u);
}

TEST_F(ServiceTest, AFailedTaskIsRetriedToCompletion) {
  // More failures than the provider's three attempts: the diagnosis fails for good once.
  server_->clear_rules();
  add_rule(engine::testing::fault_rule(engine::testing::kDiagnostic, "500", 3));
  add_default_rules();
  auto task = execute_http(kCpuRequest, "?wait=30");
  const auto id = text_of(task, "task_id");
  ASSERT_EQ(text_of(task, "status"), "failed") << json::dump(task);
  EXPECT_EQ(text_of(member(task, "error"), "code"), "upstream_unavailable");
  // Read once while failed: finished tasks' JSON is remembered, and a retry must not see it.
  EXPECT_EQ(text_of(call("GET", "/api/v1/tasks/" + id, {}, Role::viewer).json(), "status"),
            "failed");
  auto retried = call("POST", "/api/v1/tasks/" + id + "/retry", "", Role::operator_role);
  EXPECT_EQ(retried.status, 202u) << retried.body;
  auto finished = poll_task(id, [](const json::Value& t) { return is_status(t, "completed"); });
  EXPECT_EQ(text_of(finished, "status"), "completed");
}

TEST_F(ServiceTest, UnknownPathsAndMethodsAreRefused) {
  EXPECT_EQ(call("GET", "/api/v2/tasks", {}, Role::viewer).status, 404u);
  auto wrong = call("DELETE", "/api/v1/tasks/abc", {}, Role::admin);
  EXPECT_EQ(wrong.status, 405u);
  EXPECT_EQ(wrong.header("allow"), "GET");
  EXPECT_EQ(call("GET", "/api/v1/execute", {}, Role::admin).status, 405u);
}

TEST_F(ServiceTest, HealthReadinessMetricsAndOpenApiNeedNoKey) {
  auto health = call("GET", "/healthz", {}, std::nullopt);
  EXPECT_EQ(health.status, 200u);
  EXPECT_EQ(call("GET", "/readyz", {}, std::nullopt).status, 200u);
  execute_http(kCpuRequest, "?wait=30");
  auto metrics = call("GET", "/metrics", {}, std::nullopt);
  ASSERT_EQ(metrics.status, 200u);
  EXPECT_TRUE(metrics.header("content-type").starts_with("text/plain"));
  EXPECT_NE(metrics.body.find("opsgraph_http_requests_total{"), std::string::npos);
  EXPECT_NE(metrics.body.find("route=\"/api/v1/execute\""), std::string::npos) << metrics.body;
  EXPECT_NE(metrics.body.find("opsgraph_http_request_duration_seconds_bucket"), std::string::npos);
  EXPECT_NE(metrics.body.find("opsgraph_tasks_running"), std::string::npos);
  EXPECT_NE(metrics.body.find("opsgraph_tasks{status=\"completed\"} 1"), std::string::npos)
      << metrics.body;
  EXPECT_NE(metrics.body.find("opsgraph_tasks{status=\"failed\"} 0"), std::string::npos);
  EXPECT_NE(metrics.body.find("opsgraph_task_queue_depth 0"), std::string::npos);
}

// openapi.json lists exactly the routes the service serves.
TEST_F(ServiceTest, OpenApiDocumentMatchesTheRoutes) {
  auto reply = call("GET", "/openapi.json", {}, std::nullopt);
  ASSERT_EQ(reply.status, 200u);
  auto document = reply.json();
  EXPECT_TRUE(text_of(document, "openapi").starts_with("3.1"));
  std::set<std::pair<std::string, std::string>> documented;
  const auto* paths = member(document, "paths").if_object();
  ASSERT_NE(paths, nullptr);
  for (const auto& [path, operations] : *paths) {
    for (const auto& [method, operation] : *operations.if_object()) {
      if (method == "parameters")
        continue;
      std::string upper;
      for (char c : method)
        upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      documented.emplace(path, upper);
    }
  }
  std::set<std::pair<std::string, std::string>> served;
  for (const auto& route : routes())
    served.emplace(std::string(route.pattern), std::string(route.method));
  EXPECT_EQ(documented, served);
}

}  // namespace
}  // namespace opsgraph::service::testing
