#include "engine_setup.hpp"

#include <opsgraph/core/log.hpp>
#include <opsgraph/engine/config.hpp>
#include <utility>

namespace opsgraph::cli {
namespace {

constexpr std::string_view kNoLlm =
    "no LLM configured. Set OPENAI_API_KEY to use OpenAI, or point opsgraph at an "
    "OpenAI-compatible server (vLLM, Ollama, llama.cpp, Azure OpenAI) with --llm-url URL, the "
    "OPSGRAPH_LLM_BASE_URL environment variable or provider.base_url in --config. To try it "
    "without a model, start the mock: opsgraph-mock-llm --port 0 --print-port --rules "
    "examples/demo/mock_rules.json, then pass --llm-url http://127.0.0.1:PORT/v1 (scripts/demo "
    "does all of this)";

result<engine::EngineConfig> config_from(const EngineArguments& args,
                                         const engine::Environment& env) {
  OPSGRAPH_TRY(auto config, load_engine_config(args.config, env));
  if (!args.db.empty()) {
    config.store.kind = "sqlite";
    config.store.path = args.db;
  }
  if (!args.llm_url.empty())
    config.provider.base_url = args.llm_url;
  if (!args.model.empty())
    config.provider.model = args.model;
  return config;
}

}  // namespace

result<engine::EngineConfig> load_engine_config(const std::string& path,
                                                const engine::Environment& env) {
  const std::string file = path.empty() ? env("OPSGRAPH_CONFIG").value_or("") : path;
  engine::EngineConfig config;
  if (!file.empty()) {
    OPSGRAPH_TRY(auto loaded, engine::load_config(file));
    config = std::move(loaded);
  }
  return engine::with_environment(std::move(config), env);
}

engine::EngineConfig with_store_flag(engine::EngineConfig config, const std::string& store) {
  if (store.empty())
    return config;
  const engine::Environment store_only = [&](std::string_view name) {
    return name == "OPSGRAPH_STORE" ? std::optional<std::string>(store) : std::nullopt;
  };
  return engine::with_environment(std::move(config), store_only);
}

result<void> require_llm(const engine::ProviderConfig& provider, const engine::Environment& env) {
  if (!provider.base_url.empty())
    return ok();
  if (!provider.api_key_env.empty()) {
    const auto key = env(provider.api_key_env);
    if (key && !key->empty())
      return ok();
  }
  return fail(errc::invalid_argument, std::string(kNoLlm));
}

void add_config_option(CLI::App& command, std::string& config) {
  command.add_option("--config", config, "Engine config file, JSON (default: $OPSGRAPH_CONFIG)")
      ->check(CLI::ExistingFile);
}

void add_store_option(CLI::App& command, std::string& store, bool sqlite_by_default) {
  command.add_option("--store", store,
                     std::string("The store: a postgresql:// URL or a SQLite file (default: "
                                 "$OPSGRAPH_STORE, else the config's store") +
                         (sqlite_by_default ? ", else ./opsgraph.db)" : ")"));
}

void add_llm_options(CLI::App& command, std::string& llm_url, std::string& model) {
  command.add_option("--llm-url", llm_url,
                     "Base URL of an OpenAI-compatible server, e.g. http://127.0.0.1:8080/v1");
  command.add_option("--model", model, "Model name sent to the LLM");
}

void add_engine_options(CLI::App& command, EngineArguments& args) {
  add_config_option(command, args.config);
  command.add_option("--db", args.db,
                     "SQLite file of tasks and checkpoints (default ./opsgraph.db)");
  add_llm_options(command, args.llm_url, args.model);
  command.add_option("--log-level", args.log_level, "Engine log level on stderr")
      ->capture_default_str()
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));
}

result<std::unique_ptr<engine::Engine>> open_engine(const EngineArguments& args, EngineRole role) {
  const engine::Environment env = engine::process_environment();
  OPSGRAPH_TRY(auto config, config_from(args, env));
  if (role == EngineRole::worker) {
    OPSGRAPH_TRY(require_llm(config.provider, env));
  }
  OPSGRAPH_TRY(auto options, engine::options_from(config, env));
  OPSGRAPH_TRY(auto level, parse_log_level(args.log_level));
  options.logger = Logger::to_stderr(level);
  options.run_tasks = role == EngineRole::worker;
  return engine::Engine::create(std::move(options));
}

}  // namespace opsgraph::cli
