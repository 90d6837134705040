#include "engine_fixture.hpp"

#include <opsgraph/core/json_codec.hpp>

#include "support/canned_answers.hpp"

namespace opsgraph::engine::testing {
namespace {

namespace canned = opsgraph::testing::canned;

json::Value parsed(std::string_view text) {
  auto value = json::parse(text);
  EXPECT_TRUE(value) << value.error().message;
  return value ? value.value() : json::Value();
}

}  // namespace

json::Value plan_answer(bool high) {
  auto answer = parsed(canned::kPlan);
  if (high) {
    json::Value analysis = *answer.find("analysis");
    analysis.set("risk_level", "high");
    analysis.set("risk_score", 0.9);
    analysis.set("requires_approval", true);
    answer.set("analysis", std::move(analysis));
  }
  return answer;
}

json::Value diagnosis_answer(bool problem, double confidence) {
  auto answer = parsed(canned::kDiagnosis);
  answer.set("problem_identified", problem);
  answer.set("confidence", confidence);
  return answer;
}

json::Value script_answer(bool dangerous) {
  auto answer = parsed(canned::kPowerShellScript);
  if (dangerous)
    answer.set("code", "Remove-Item C:\\ -Recurse -Force\nFormat-Volume -DriveLetter D -Force\n");
  return answer;
}

json::Value azure_script_answer() {
  return parsed(canned::kAzureCliScript);
}

json::Value documents_answer() {
  return parsed(canned::kDocuments);
}

mock::Rule answer_rule(const char* marker, json::Value answer, std::optional<std::size_t> times) {
  mock::Rule rule;
  rule.name = marker;
  rule.match.system_contains = marker;
  mock::RuleResponse response;
  response.json = std::move(answer);
  rule.responses.push_back(std::move(response));
  rule.times = times;
  return rule;
}

mock::Rule fault_rule(const char* marker, std::string_view fault,
                      std::optional<std::size_t> times) {
  mock::Rule rule;
  rule.name = std::string(marker) + " fault";
  rule.match.system_contains = marker;
  mock::RuleResponse response;
  auto parsed_fault = mock::parse_fault(fault);
  EXPECT_TRUE(parsed_fault) << parsed_fault.error().message;
  if (parsed_fault)
    response.fault = parsed_fault.value();
  rule.responses.push_back(std::move(response));
  rule.times = times;
  return rule;
}

void EngineTest::SetUp() {
  db_path_ = dir_.file("opsgraph.db");
  auto started = mock::MockLlmServer::start(mock::ServerOptions{});
  ASSERT_TRUE(started) << started.error().message;
  server_ = std::move(started.value());
  llm::OpenAIConfig config;
  config.base_url = server_->base_url();
  config.api_key = "sk-test-engine";
  config.model = "mock-model";
  config.retry.base_delay = 5ms;
  config.retry.max_delay = 20ms;
  config.retry.max_attempts = 3;
  config.logger = Logger::null();
  auto provider = llm::make_openai_provider(provider_runtime_.executor(), std::move(config));
  ASSERT_TRUE(provider) << provider.error().message;
  provider_ = provider.value();
  auto store = store::SqliteStore::open(db_path_);
  ASSERT_TRUE(store) << store.error().message;
  store_ = std::move(store).value();
}

void EngineTest::TearDown() {
  engine_.reset();
}

void EngineTest::add_rule(mock::Rule rule) {
  auto added = server_->add_rule(std::move(rule));
  ASSERT_TRUE(added) << added.error().message;
}

void EngineTest::add_default_rules() {
  auto azure = answer_rule(kAutomation, azure_script_answer());
  azure.name = std::string(kAutomation) + " azure";
  azure.match.user_contains = "azurecli";
  add_rule(std::move(azure));
  add_rule(answer_rule(kPlanner, plan_answer()));
  add_rule(answer_rule(kDiagnostic, diagnosis_answer()));
  add_rule(answer_rule(kAutomation, script_answer()));
  add_rule(answer_rule(kWriter, documents_answer()));
}

std::unique_ptr<Engine> EngineTest::make_engine(const std::function<void(EngineOptions&)>& tweak) {
  EngineOptions options;
  options.store = store_;
  options.checkpointer = store_;
  options.provider = provider_;
  options.io_threads = 2;
  options.blocking_threads = 2;
  options.lease_ttl = 2s;
  options.poll_interval = 50ms;
  options.policy.node_retry.initial_backoff = 5ms;
  options.logger = Logger::null();
  tweak(options);
  auto made = Engine::create(std::move(options));
  EXPECT_TRUE(made) << made.error().message;
  return made ? std::move(made).value() : nullptr;
}

Engine& EngineTest::engine() {
  if (!engine_)
    engine_ = make_engine();
  return *engine_;
}

TaskSnapshot EngineTest::execute(std::string request, std::optional<bool> require_approval) {
  ExecuteRequest call;
  call.request = std::move(request);
  call.require_approval = require_approval;
  call.requester = "tester";
  auto task = engine().execute(call);
  EXPECT_TRUE(task) << task.error().message;
  return task ? task.value() : TaskSnapshot{};
}

TaskSnapshot EngineTest::wait(const std::string& id, WaitFor what,
                              std::chrono::milliseconds timeout) {
  auto task = engine().wait(id, what, timeout);
  EXPECT_TRUE(task) << task.error().message;
  return task ? task.value() : TaskSnapshot{};
}

std::vector<std::string> EngineTest::event_types(const std::string& id) {
  std::vector<std::string> types;
  auto events = engine().events(id, 0, 1000);
  EXPECT_TRUE(events) << events.error().message;
  if (events) {
    for (const auto& e : events.value())
      types.push_back(e.type);
  }
  return types;
}

std::uint64_t EngineTest::calls_to(const std::string& name) const {
  const auto stats = server_->stats();
  auto it = stats.requests_by_rule.find(name);
  return it == stats.requests_by_rule.end() ? 0 : it->second;
}

}  // namespace opsgraph::engine::testing
