#include "service_fixture.hpp"

#include <thread>

namespace opsgraph::service::testing {

std::string execute_body(std::string_view text, const json::Object& extra) {
  json::Value body = json::Object{{"request", std::string(text)}};
  for (const auto& [name, value] : extra)
    body.set(name, value);
  return json::dump(body);
}

std::string text_of(const json::Value& value, std::string_view member) {
  const auto* found = value.find(member);
  return found != nullptr && found->is_string() ? *found->if_string() : std::string();
}

void ServiceTest::SetUp() {
  EngineTest::SetUp();
  if (HasFatalFailure())
    return;
  add_default_rules();
  shared_engine_ = std::shared_ptr<engine::Engine>(make_engine());
  ASSERT_TRUE(shared_engine_);
  for (auto role : {Role::viewer, Role::operator_role, Role::approver, Role::admin})
    keys_.emplace(role, add_key(role, std::string(role_name(role)) + " key"));
  restart_service([](ServiceConfig&) {});
}

void ServiceTest::TearDown() {
  service_.reset();
  shared_engine_.reset();
  EngineTest::TearDown();
}

void ServiceTest::restart_service(const std::function<void(ServiceConfig&)>& tweak) {
  service_.reset();
  ServiceConfig config;
  config.port = 0;
  config.plan_wait_ms = 20'000;
  tweak(config);
  auto started = Service::start(config, shared_engine_, store_, nullptr);
  ASSERT_TRUE(started) << started.error().message;
  service_ = std::move(started).value();
}

NewKey ServiceTest::add_key(Role role, const std::string& name) {
  auto made = make_key(name, role, "test");
  EXPECT_TRUE(made) << made.error().message;
  auto stored = store_->add_key(made.value().key);
  EXPECT_TRUE(stored) << stored.error().message;
  return made.value();
}

Headers ServiceTest::auth(Role role) const {
  return {{"Authorization", "Bearer " + secret(role)}};
}

Reply ServiceTest::call(std::string_view method, std::string_view target, std::string_view body,
                        std::optional<Role> role, const Headers& extra) {
  Headers headers = role ? auth(*role) : Headers{};
  if (!body.empty())
    headers.emplace_back("Content-Type", "application/json");
  headers.insert(headers.end(), extra.begin(), extra.end());
  HttpClient client(port());
  return client.request(method, target, body, headers);
}

json::Value ServiceTest::execute_http(std::string_view text, std::string_view query,
                                      std::optional<Role> role) {
  auto reply = call("POST", "/api/v1/execute" + std::string(query), execute_body(text), role);
  EXPECT_TRUE(reply.status == 202 || reply.status == 200) << reply.status << " " << reply.body;
  return reply.json();
}

json::Value ServiceTest::poll_task(const std::string& id,
                                   const std::function<bool(const json::Value&)>& done,
                                   std::chrono::milliseconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  HttpClient client(port());
  json::Value task;
  for (;;) {
    auto reply = client.request("GET", "/api/v1/tasks/" + id, {}, auth(Role::viewer));
    EXPECT_EQ(reply.status, 200u) << reply.body;
    task = reply.json();
    if (done(task) || std::chrono::steady_clock::now() > until)
      return task;
    std::this_thread::sleep_for(std::chrono::milliseconds{20});
  }
}

}  // namespace opsgraph::service::testing
