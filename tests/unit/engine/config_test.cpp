// EngineConfig: parsing with errors that name the field, environment overrides, checks, and the
// options a config builds.

#include <gtest/gtest.h>

#include <map>
#include <opsgraph/engine/config.hpp>

#include "support/temp_dir.hpp"

namespace opsgraph::engine {
namespace {

Environment fake_env(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(std::string(name));
    if (it == vars.end())
      return std::nullopt;
    return it->second;
  };
}

TEST(EngineConfigTest, EmptyObjectIsTheDefaults) {
  auto config = parse_config("{}", "opsgraph.json");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config.value().store.kind, "sqlite");
  EXPECT_EQ(config.value().store.path, "opsgraph.db");
  EXPECT_EQ(config.value().provider.model, "gpt-4o-mini");
  EXPECT_EQ(config.value().policy.max_script_attempts, 3);
}

TEST(EngineConfigTest, EveryFieldIsRead) {
  auto config = parse_config(R"({
      "provider": {"base_url": "http://127.0.0.1:11434/v1", "model": "llama3", "max_attempts": 2},
      "store": {"kind": "memory"},
      "agents": [{"name": "writer", "model": "gpt-4o", "temperature": 0.5, "repair_attempts": 1}],
      "policy": {"min_diagnosis_confidence": 0.5, "max_script_attempts": 2},
      "limits": {"max_running_tasks": 8, "lease_ttl_ms": 5000}})",
                             "opsgraph.json");
  ASSERT_TRUE(config) << config.error().message;
  const auto& c = config.value();
  EXPECT_EQ(c.provider.base_url, "http://127.0.0.1:11434/v1");
  EXPECT_EQ(c.provider.max_attempts, 2);
  EXPECT_EQ(c.store.kind, "memory");
  ASSERT_EQ(c.agents.size(), 1u);
  EXPECT_EQ(c.agents[0].temperature, 0.5);
  EXPECT_EQ(c.limits.max_running_tasks, 8);
}

TEST(EngineConfigTest, ErrorsNameTheFileAndTheField) {
  auto typo = parse_config(R"({"provider": {"modle": "x"}})", "opsgraph.json");
  ASSERT_FALSE(typo);
  EXPECT_EQ(typo.error().code, errc::invalid_argument);
  EXPECT_NE(typo.error().message.find("opsgraph.json"), std::string::npos) << typo.error().message;
  EXPECT_NE(typo.error().message.find("modle"), std::string::npos) << typo.error().message;

  auto range = parse_config(R"({"policy": {"min_diagnosis_confidence": 2}})", "c.json");
  ASSERT_FALSE(range);
  EXPECT_NE(range.error().message.find("policy.min_diagnosis_confidence"), std::string::npos);

  auto agent = parse_config(R"({"agents": [{"name": "poet"}]})", "c.json");
  ASSERT_FALSE(agent);
  EXPECT_NE(agent.error().message.find("agents[0].name"), std::string::npos);

  auto store = parse_config(R"({"store": {"kind": "mongo"}})", "c.json");
  ASSERT_FALSE(store);
  EXPECT_NE(store.error().message.find("store.kind"), std::string::npos);

  EXPECT_EQ(load_config("/nonexistent/opsgraph.json").error().code, errc::not_found);
}

TEST(EngineConfigTest, EnvironmentOverridesTheFile) {
  EngineConfig config;
  auto env = fake_env({{"OPSGRAPH_LLM_BASE_URL", "http://127.0.0.1:9/v1"},
                       {"OPENAI_BASE_URL", "http://ignored/v1"},
                       {"OPSGRAPH_LLM_MODEL", "m2"},
                       {"OPSGRAPH_STORE", "/tmp/x.db"}});
  auto out = with_environment(config, env);
  EXPECT_EQ(out.provider.base_url, "http://127.0.0.1:9/v1");
  EXPECT_EQ(out.provider.model, "m2");
  EXPECT_EQ(out.store.kind, "sqlite");
  EXPECT_EQ(out.store.path, "/tmp/x.db");
  EXPECT_EQ(with_environment(config, fake_env({{"OPSGRAPH_STORE", "memory"}})).store.kind,
            "memory");
  auto postgres =
      with_environment(config, fake_env({{"OPSGRAPH_STORE", "postgresql://ops@127.0.0.1/tasks"}}));
  EXPECT_EQ(postgres.store.kind, "postgres");
  EXPECT_EQ(postgres.store.dsn, "postgresql://ops@127.0.0.1/tasks");
  EXPECT_EQ(
      with_environment(config, fake_env({{"OPENAI_BASE_URL", "http://b/v1"}})).provider.base_url,
      "http://b/v1");
}

TEST(EngineConfigTest, OptionsOpenTheStoreAndApplyAgentChanges) {
  opsgraph::testing::TempDir dir;
  EngineConfig config;
  config.store.path = dir.file("tasks.db");
  config.provider.base_url = "http://127.0.0.1:9/v1";
  AgentConfig writer;
  writer.name = "writer";
  writer.model = "gpt-4o";
  writer.repair_attempts = 0;
  config.agents.push_back(writer);
  config.limits.max_running_tasks = 7;
  auto options = options_from(config, fake_env({}));
  ASSERT_TRUE(options) << options.error().message;
  EXPECT_TRUE(options.value().store);
  EXPECT_TRUE(options.value().checkpointer);
  EXPECT_TRUE(options.value().provider_factory);
  ASSERT_EQ(options.value().agents.size(), 1u);
  EXPECT_EQ(options.value().agents[0].model, "gpt-4o");
  EXPECT_EQ(options.value().agents[0].repair_attempts, 0);
  EXPECT_FALSE(options.value().agents[0].system_prompt.empty());
  EXPECT_EQ(options.value().max_running_tasks, 7u);
  EXPECT_TRUE(std::filesystem::exists(dir.file("tasks.db")));

  config.agents[0].prompt_path = dir.file("missing.md");
  EXPECT_EQ(options_from(config, fake_env({})).error().code, errc::not_found);
}

}  // namespace
}  // namespace opsgraph::engine
