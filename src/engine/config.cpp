// EngineConfig: parsing, environment overrides, checks, and the EngineOptions it describes.

#include <cstdlib>
#include <fstream>
#include <opsgraph/engine/config.hpp>
#include <opsgraph/llm/openai.hpp>
#include <opsgraph/store/memory_store.hpp>
#if OPSGRAPH_HAS_POSTGRES
#include <opsgraph/store/postgres_store.hpp>
#endif
#include <opsgraph/store/sqlite_store.hpp>
#include <sstream>

namespace opsgraph::engine {
namespace {

Error bad(std::string_view field, std::string_view why) {
  return make_error(errc::invalid_argument,
                    "config: " + std::string(field) + ": " + std::string(why));
}

result<agents::AgentSpec> agent_from(const AgentConfig& config) {
  OPSGRAPH_TRY(auto spec, agents::builtin_agent(config.name));
  if (!config.model.empty())
    spec.model = config.model;
  if (config.temperature)
    spec.temperature = config.temperature;
  if (config.max_tokens)
    spec.max_tokens = config.max_tokens;
  if (config.repair_attempts)
    spec.repair_attempts = *config.repair_attempts;
  return agents::with_files(std::move(spec), config.prompt_path, config.schema_path);
}

result<void> open_store(const StoreConfig& config, EngineOptions& options) {
  if (config.kind == "memory") {
    auto memory = std::make_shared<store::MemoryStore>();
    options.store = memory;
    options.checkpointer = memory;
    return ok();
  }
  if (config.kind == "postgres") {
#if OPSGRAPH_HAS_POSTGRES
    store::PostgresOptions postgres;
    postgres.schema = config.schema;
    postgres.pool_size = static_cast<std::size_t>(config.pool_size);
    OPSGRAPH_TRY(auto opened, store::PostgresStore::open(config.dsn, postgres));
    std::shared_ptr<store::PostgresStore> shared = std::move(opened);
    options.store = shared;
    options.checkpointer = shared;
    return ok();
#else
    return fail(errc::invalid_argument,
                "config: store.kind: this build of opsgraph has no PostgreSQL store "
                "(OPSGRAPH_WITH_POSTGRES=OFF)");
#endif
  }
  OPSGRAPH_TRY(auto sqlite, store::SqliteStore::open(config.path));
  std::shared_ptr<store::SqliteStore> shared = std::move(sqlite);
  options.store = shared;
  options.checkpointer = shared;
  return ok();
}

llm::OpenAIConfig openai_from(const ProviderConfig& config, const Environment& env) {
  llm::OpenAIConfig openai;
  if (!config.base_url.empty())
    openai.base_url = config.base_url;
  if (!config.api_key_env.empty()) {
    if (auto key = env(config.api_key_env))
      openai.api_key = *key;
  }
  openai.model = config.model;
  openai.api_version = config.api_version;
  openai.ca_file = config.ca_file;
  openai.total_timeout = std::chrono::milliseconds{config.timeout_ms};
  openai.attempt_timeout = std::min(openai.attempt_timeout, openai.total_timeout);
  openai.max_concurrent = config.max_concurrent;
  openai.retry.max_attempts = config.max_attempts;
  return openai;
}

}  // namespace

result<EngineConfig> parse_config(std::string_view text, std::string_view source) {
  auto config = json::decode<EngineConfig>(text);
  if (!config) {
    return fail(errc::invalid_argument, std::string(source) + ": " + config.error().message);
  }
  if (auto checked = validate(config.value()); !checked) {
    return fail(errc::invalid_argument, std::string(source) + ": " + checked.error().message);
  }
  return config;
}

result<EngineConfig> load_config(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return fail(errc::not_found, path + ": cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  return parse_config(text.str(), path);
}

Environment process_environment() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* value = std::getenv(std::string(name).c_str());
    if (value == nullptr)
      return std::nullopt;
    return std::string(value);
  };
}

EngineConfig with_environment(EngineConfig config, const Environment& env) {
  if (auto url = env("OPSGRAPH_LLM_BASE_URL")) {
    config.provider.base_url = *url;
  } else if (auto openai_url = env("OPENAI_BASE_URL")) {
    config.provider.base_url = *openai_url;
  }
  if (auto model = env("OPSGRAPH_LLM_MODEL"))
    config.provider.model = *model;
  if (auto where = env("OPSGRAPH_STORE")) {
    if (*where == "memory") {
      config.store.kind = "memory";
    } else if (where->rfind("postgres://", 0) == 0 || where->rfind("postgresql://", 0) == 0) {
      config.store.kind = "postgres";
      config.store.dsn = *where;
    } else {
      config.store.kind = "sqlite";
      config.store.path = *where;
    }
  }
  return config;
}

result<void> validate(const EngineConfig& c) {
  if (c.store.kind != "sqlite" && c.store.kind != "memory" && c.store.kind != "postgres") {
    return bad("store.kind",
               "expected \"sqlite\", \"postgres\" or \"memory\", got \"" + c.store.kind + "\"");
  }
  if (c.store.kind == "sqlite" && c.store.path.empty())
    return bad("store.path", "empty");
  if (c.store.kind == "postgres" && c.store.dsn.empty())
    return bad("store.dsn", "a postgres store needs a DSN");
  if (c.store.pool_size < 1 || c.store.pool_size > 64)
    return bad("store.pool_size", "must be within 1..64");
  if (c.provider.model.empty())
    return bad("provider.model", "empty");
  if (c.provider.timeout_ms <= 0)
    return bad("provider.timeout_ms", "must be positive");
  if (c.provider.max_concurrent <= 0)
    return bad("provider.max_concurrent", "must be positive");
  if (c.provider.max_attempts < 1)
    return bad("provider.max_attempts", "must be at least 1");
  const auto& names = agents::builtin_agent_names();
  for (std::size_t i = 0; i < c.agents.size(); ++i) {
    const auto& a = c.agents[i];
    if (std::find(names.begin(), names.end(), a.name) == names.end()) {
      return bad("agents[" + std::to_string(i) + "].name",
                 "expected planner, diagnostic, automation or writer, got \"" + a.name + "\"");
    }
    if (a.repair_attempts && *a.repair_attempts < 0)
      return bad("agents[" + std::to_string(i) + "].repair_attempts", "must not be negative");
  }
  if (c.policy.min_diagnosis_confidence < 0 || c.policy.min_diagnosis_confidence > 1)
    return bad("policy.min_diagnosis_confidence", "must be within 0..1");
  if (c.policy.max_script_attempts < 1)
    return bad("policy.max_script_attempts", "must be at least 1");
  if (c.policy.node_attempts < 1)
    return bad("policy.node_attempts", "must be at least 1");
  if (c.policy.node_timeout_ms <= 0)
    return bad("policy.node_timeout_ms", "must be positive");
  const auto& l = c.limits;
  if (l.max_running_tasks < 1)
    return bad("limits.max_running_tasks", "must be at least 1");
  if (l.lease_ttl_ms < 3)
    return bad("limits.lease_ttl_ms", "must be at least 3");
  if (l.poll_interval_ms < 1)
    return bad("limits.poll_interval_ms", "must be positive");
  if (l.task_deadline_ms < 1)
    return bad("limits.task_deadline_ms", "must be positive");
  if (l.io_threads < 0 || l.blocking_threads < 1)
    return bad("limits", "io_threads must be >= 0 and blocking_threads >= 1");
  return ok();
}

result<EngineOptions> options_from(const EngineConfig& config, const Environment& env) {
  OPSGRAPH_TRY(validate(config));
  EngineOptions options;
  OPSGRAPH_TRY(open_store(config.store, options));
  auto openai = openai_from(config.provider, env);
  OPSGRAPH_TRY(llm::validate(openai));
  options.provider_factory = [openai](const ProviderContext& context) {
    auto with_context = openai;
    with_context.logger = context.logger;
    with_context.metrics = context.metrics;
    return llm::make_openai_provider(context.executor, with_context);
  };
  for (const auto& agent : config.agents) {
    OPSGRAPH_TRY(auto spec, agent_from(agent));
    options.agents.push_back(std::move(spec));
  }
  options.router_rules_path = config.router_rules_path;
  options.checker.rules_path = config.script_rules_path;
  options.policy.min_diagnosis_confidence = config.policy.min_diagnosis_confidence;
  options.policy.max_script_attempts = config.policy.max_script_attempts;
  options.policy.node_retry.max_attempts = config.policy.node_attempts;
  options.policy.node_timeout = std::chrono::milliseconds{config.policy.node_timeout_ms};
  const auto& l = config.limits;
  options.max_running_tasks = static_cast<std::size_t>(l.max_running_tasks);
  options.lease_ttl = std::chrono::milliseconds{l.lease_ttl_ms};
  options.poll_interval = std::chrono::milliseconds{l.poll_interval_ms};
  options.task_deadline = std::chrono::milliseconds{l.task_deadline_ms};
  options.io_threads = static_cast<std::size_t>(l.io_threads);
  options.blocking_threads = static_cast<std::size_t>(l.blocking_threads);
  return options;
}

}  // namespace opsgraph::engine
