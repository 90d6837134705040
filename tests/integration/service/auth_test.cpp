// API keys, roles, self-approval, rate limits and the audit of changes, over HTTP.

#include <opsgraph/service/routes.hpp>

#include "service_fixture.hpp"

namespace opsgraph::service::testing {
namespace {

const json::Value& member(const json::Value& value, std::string_view name) {
  static const json::Value kNull;
  const auto* found = value.find(name);
  return found != nullptr ? *found : kNull;
}

// A request for `route` that passes the key checks (what the handler then says does not matter
// here: only whether the key was let through).
std::string target_of(const Route& route) {
  std::string target(route.pattern);
  if (auto at = target.find("{id}"); at != std::string::npos)
    target.replace(at, 4, "no-such-id");
  return target;
}

TEST_F(ServiceTest, MissingUnknownAndMalformedKeysAre401) {
  auto none = call("GET", "/api/v1/tasks", {}, std::nullopt);
  EXPECT_EQ(none.status, 401u);
  EXPECT_EQ(none.header("www-authenticate"), "Bearer");
  EXPECT_EQ(none.header("content-type"), "application/problem+json");
  EXPECT_EQ(
      call("GET", "/api/v1/tasks", {}, std::nullopt, {{"Authorization", "Bearer og_not-a-key"}})
          .status,
      401u);
  EXPECT_EQ(call("GET", "/api/v1/tasks", {}, std::nullopt, {{"Authorization", "Basic abc"}}).status,
            401u);
  EXPECT_EQ(
      call("GET", "/api/v1/tasks", {}, std::nullopt, {{"X-API-Key", secret(Role::viewer)}}).status,
      200u);
}

// Each role may call exactly the routes its rank allows; everyone else gets 403.
TEST_F(ServiceTest, RolesFollowThePermissionMatrix) {
  for (const auto& route : routes()) {
    if (route.permission == Permission::open || route.id == RouteId::task_events)
      continue;
    for (auto role : {Role::viewer, Role::operator_role, Role::approver, Role::admin}) {
      auto reply = call(route.method, target_of(route), {}, role);
      const bool allowed = allows(role, route.permission);
      if (allowed)
        EXPECT_NE(reply.status, 403u) << role_name(role) << " " << route.pattern << reply.body;
      else
        EXPECT_EQ(reply.status, 403u) << role_name(role) << " " << route.pattern << reply.body;
      EXPECT_NE(reply.status, 401u) << role_name(role) << " " << route.pattern;
    }
  }
}

TEST_F(ServiceTest, AnApproverCannotApproveTheirOwnTaskUnlessAllowed) {
  auto own = call("POST", "/api/v1/execute", execute_body(kRdpRequest), Role::approver);
  ASSERT_EQ(own.status, 202u) << own.body;
  const auto id = text_of(own.json(), "task_id");
  EXPECT_EQ(call("POST", "/api/v1/plans/" + id + "/approve", "", Role::approver).status, 403u);
  restart_service([](ServiceConfig& config) { config.allow_self_approval = true; });
  EXPECT_EQ(call("POST", "/api/v1/plans/" + id + "/approve", "", Role::approver).status, 202u);
}

TEST_F(ServiceTest, KeysAreMadeListedAndRevokedByAnAdmin) {
  auto made = call("POST", "/api/v1/keys", R"({"name": "ci", "role": "operator"})", Role::admin);
  ASSERT_EQ(made.status, 201u) << made.body;
  auto key = made.json();
  const auto secret_text = text_of(key, "secret");
  EXPECT_TRUE(secret_text.starts_with("og_"));
  EXPECT_EQ(key.find("secret_hash"), nullptr);
  const Headers with_new{{"Authorization", "Bearer " + secret_text}};
  EXPECT_EQ(call("GET", "/api/v1/tasks", {}, std::nullopt, with_new).status, 200u);

  auto listed = call("GET", "/api/v1/keys", {}, Role::admin);
  ASSERT_EQ(listed.status, 200u);
  EXPECT_EQ(listed.body.find(secret_text), std::string::npos) << "secrets are never listed";
  EXPECT_EQ(listed.body.find("sha256:"), std::string::npos);
  EXPECT_EQ(member(listed.json(), "keys").if_array()->size(), 5u);

  const auto id = text_of(key, "id");
  auto revoked = call("DELETE", "/api/v1/keys/" + id, {}, Role::admin);
  ASSERT_EQ(revoked.status, 200u) << revoked.body;
  EXPECT_FALSE(member(revoked.json(), "revoked_at").is_null());
  EXPECT_EQ(text_of(revoked.json(), "revoked_by"), key_id(Role::admin)) << "the audit names who";
  EXPECT_EQ(text_of(key, "created_by"), key_id(Role::admin));
  EXPECT_TRUE(member(key, "revoked_by").is_null()) << "a live key was revoked by nobody";
  EXPECT_EQ(call("GET", "/api/v1/tasks", {}, std::nullopt, with_new).status, 401u);
  EXPECT_EQ(call("DELETE", "/api/v1/keys/key_missing", {}, Role::admin).status, 404u);
  EXPECT_EQ(call("POST", "/api/v1/keys", R"({"name": "x", "role": "root"})", Role::admin).status,
            422u);
}

TEST_F(ServiceTest, EachKeyHasItsOwnRateLimit) {
  restart_service([](ServiceConfig& config) {
    config.rate_limit.per_second = 0.5;
    config.rate_limit.burst = 3;
  });
  HttpClient client(port());
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(client.request("GET", "/api/v1/tasks", {}, auth(Role::viewer)).status, 200u);
  auto limited = client.request("GET", "/api/v1/tasks", {}, auth(Role::viewer));
  EXPECT_EQ(limited.status, 429u);
  EXPECT_EQ(limited.header("retry-after"), "2");
  EXPECT_EQ(client.request("GET", "/api/v1/tasks", {}, auth(Role::operator_role)).status, 200u)
      << "another key has its own bucket";
  EXPECT_EQ(client.request("GET", "/healthz", {}, {}).status, 200u)
      << "open routes are not limited";
}

TEST_F(ServiceTest, EveryChangeIsAuditedWithTheKeyThatMadeIt) {
  auto task = execute_http(kRdpRequest);
  const auto id = text_of(task, "task_id");
  call("POST", "/api/v1/plans/" + id + "/reject", R"({"reason": "no"})", Role::approver);
  auto record = call("GET", "/api/v1/tasks/" + id, {}, Role::viewer).json();
  const auto& timeline = *member(record, "timeline").if_array();
  bool created = false;
  bool rejected = false;
  for (const auto& event : timeline) {
    const auto& data = member(event, "data");
    if (text_of(event, "type") == "created")
      created = text_of(data, "requester") == key_id(Role::operator_role);
    if (text_of(event, "type") == "rejected")
      rejected = text_of(data, "actor") == key_id(Role::approver);
  }
  EXPECT_TRUE(created) << json::dump(record);
  EXPECT_TRUE(rejected) << json::dump(record);
}

}  // namespace
}  // namespace opsgraph::service::testing
