#pragma once
// Building the in-process Engine the task commands use: an EngineConfig from a JSON file
// (--config or OPSGRAPH_CONFIG), the environment's overrides (OPSGRAPH_LLM_BASE_URL,
// OPENAI_BASE_URL, OPSGRAPH_LLM_MODEL, OPSGRAPH_STORE), then the command line's (--db,
// --llm-url, --model), in that order of precedence, lowest first.

#include <CLI/App.hpp>
#include <memory>
#include <opsgraph/core/result.hpp>
#include <opsgraph/engine/config.hpp>
#include <opsgraph/engine/engine.hpp>
#include <string>

namespace opsgraph::cli {

struct EngineArguments {
  std::string config = "";
  std::string db = "";
  std::string llm_url = "";
  std::string model = "";
  std::string log_level = "warn";
};

/// What the command does with the engine.
enum class EngineRole {
  /// Reads and records only (status, list, reject, cancel): no LLM needed, runs no task.
  reader,
  /// Runs tasks in this process (run, approve, retry): an LLM must be configured.
  worker,
};

/// Adds --config, --db, --llm-url, --model and --log-level to `command`.
void add_engine_options(CLI::App& command, EngineArguments& args);

/// The flags several commands share, worded once.
/// --config FILE: the engine's config file.
void add_config_option(CLI::App& command, std::string& config);
/// --store URL|PATH; `sqlite_by_default`: with no store named anywhere, ./opsgraph.db is used
/// (a worker refuses to guess instead).
void add_store_option(CLI::App& command, std::string& store, bool sqlite_by_default);
/// --llm-url and --model.
void add_llm_options(CLI::App& command, std::string& llm_url, std::string& model);

/// The config file (`path`, else $OPSGRAPH_CONFIG, else the defaults), then the environment's
/// overrides: what every command's own flags start from.
result<engine::EngineConfig> load_engine_config(const std::string& path,
                                                const engine::Environment& env);

/// `config` with the store a --store flag names (the words OPSGRAPH_STORE takes: a postgres URL
/// or a SQLite path); unchanged when `store` is empty.
engine::EngineConfig with_store_flag(engine::EngineConfig config, const std::string& store);

/// Errors: invalid_argument saying how to configure a model (or start the mock) when `provider`
/// names none.
result<void> require_llm(const engine::ProviderConfig& provider, const engine::Environment& env);

/// The engine `args` describe. Errors: invalid_argument when a worker has no LLM (the message
/// says how to configure one or start the mock), and whatever loading the config, opening the
/// store or creating the engine reports.
result<std::unique_ptr<engine::Engine>> open_engine(const EngineArguments& args, EngineRole role);

}  // namespace opsgraph::cli
