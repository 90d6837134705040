#pragma once
// opsgraph::engine::EngineConfig — an Engine described as data: one JSON file (every member
// optional, unknown members refused) plus environment overrides, so the CLI, the HTTP service and
// the C ABI build the same engine from the same words. docs/engine.md lists every field.
//
//   {"provider": {"base_url": "http://127.0.0.1:11434/v1", "model": "llama3"},
//    "store": {"kind": "sqlite", "path": "opsgraph.db"},
//    "agents": [{"name": "writer", "model": "gpt-4o"}],
//    "policy": {"min_diagnosis_confidence": 0.3, "max_script_attempts": 3},
//    "limits": {"max_running_tasks": 1024, "lease_ttl_ms": 30000}}
//
// Plain values; the functions are pure apart from reading files and the environment.

#include <cstdint>
#include <functional>
#include <memory>
#include <opsgraph/core/json_codec.hpp>
#include <opsgraph/core/result.hpp>
#include <opsgraph/engine/engine.hpp>
#include <opsgraph/export.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace opsgraph::engine {

/// The OpenAI-compatible server behind every agent (OpenAI, Azure OpenAI, vLLM, Ollama, ...).
struct ProviderConfig {
  /// Empty: https://api.openai.com/v1.
  std::string base_url = "";
  /// The environment variable holding the API key; the key itself never sits in a file.
  std::string api_key_env = "OPENAI_API_KEY";
  std::string model = "gpt-4o-mini";
  /// Azure OpenAI's api-version (the key then goes in an api-key header).
  std::string api_version = "";
  /// A PEM file of CAs to trust instead of the system's.
  std::string ca_file = "";
  std::int64_t timeout_ms = 300'000;
  int max_concurrent = 64;
  int max_attempts = 4;
};

/// Where tasks, events and checkpoints live.
struct StoreConfig {
  /// "sqlite" (one file, the default), "postgres" (one database for many processes and
  /// machines, docs/store.md) or "memory" (lost when the process ends).
  std::string kind = "sqlite";
  /// sqlite: the database file.
  std::string path = "opsgraph.db";
  /// postgres: a libpq conninfo or URL (postgresql://user@host:5432/db); a password belongs in
  /// PGPASSWORD or ~/.pgpass, not here.
  std::string dsn = "";
  /// postgres: the schema holding opsgraph's tables.
  std::string schema = "opsgraph";
  /// postgres: connections per process.
  std::int64_t pool_size = 4;
};

/// Changes to one built-in agent; unset members keep the built-in values.
struct AgentConfig {
  /// planner, diagnostic, automation or writer.
  std::string name = "";
  std::string model = "";
  std::string prompt_path = "";
  std::string schema_path = "";
  std::optional<double> temperature = std::nullopt;
  std::optional<std::int64_t> max_tokens = std::nullopt;
  std::optional<int> repair_attempts = std::nullopt;
};

struct PolicyConfig {
  double min_diagnosis_confidence = 0.3;
  int max_script_attempts = 3;
  int node_attempts = 2;
  std::int64_t node_timeout_ms = 300'000;
};

struct LimitsConfig {
  std::int64_t max_running_tasks = 1024;
  std::int64_t lease_ttl_ms = 30'000;
  std::int64_t poll_interval_ms = 1'000;
  std::int64_t task_deadline_ms = 1'800'000;
  std::int64_t io_threads = 0;
  std::int64_t blocking_threads = 4;
};

struct EngineConfig {
  ProviderConfig provider{};
  StoreConfig store{};
  std::vector<AgentConfig> agents{};
  /// Rule files replacing the built-in router and script-security rules ("" keeps them).
  std::string router_rules_path = "";
  std::string script_rules_path = "";
  PolicyConfig policy{};
  LimitsConfig limits{};
  /// The HTTP service's settings (opsgraphd, `opsgraph serve`; docs/http-api.md), kept here so
  /// that one file configures both. The engine does not read them.
  json::Value server = json::Value();
};

/// The config in `text` (JSON). Errors: invalid_argument naming `source` and the field
/// ("opsgraph.json: provider.modle: unknown field").
OPSGRAPH_API result<EngineConfig> parse_config(std::string_view text, std::string_view source);

/// The config in the file at `path`. Errors: not_found (unreadable), invalid_argument.
OPSGRAPH_API result<EngineConfig> load_config(const std::string& path);

/// Reads one environment variable; returns nullopt when unset. Tests pass their own.
using Environment = std::function<std::optional<std::string>(std::string_view name)>;
/// The process environment.
OPSGRAPH_API Environment process_environment();

/// `config` with the environment's overrides applied:
/// OPSGRAPH_LLM_BASE_URL (or OPENAI_BASE_URL) → provider.base_url, OPSGRAPH_LLM_MODEL →
/// provider.model, OPSGRAPH_STORE → store ("memory", a postgres:// or postgresql:// URL, or a
/// SQLite file path).
OPSGRAPH_API EngineConfig with_environment(EngineConfig config, const Environment& env);

/// Checks ranges and names without building anything. Errors: invalid_argument naming the field.
OPSGRAPH_API result<void> validate(const EngineConfig& config);

/// The EngineOptions `config` describes: the store opened (or made), the provider to be built on
/// the engine's executor, agents with their files read. Errors: as validate, plus not_found and
/// storage from opening files.
OPSGRAPH_API result<EngineOptions> options_from(const EngineConfig& config,
                                                const Environment& env = process_environment());

}  // namespace opsgraph::engine

template <>
struct opsgraph::json::Schema<opsgraph::engine::ProviderConfig> {
  using T = opsgraph::engine::ProviderConfig;
  static constexpr bool allow_unknown = false;
  static constexpr auto fields =
      std::make_tuple(json::optional_field("base_url", &T::base_url),
                      json::optional_field("api_key_env", &T::api_key_env),
                      json::optional_field("model", &T::model),
                      json::optional_field("api_version", &T::api_version),
                      json::optional_field("ca_file", &T::ca_file),
                      json::optional_field("timeout_ms", &T::timeout_ms),
                      json::optional_field("max_concurrent", &T::max_concurrent),
                      json::optional_field("max_attempts", &T::max_attempts));
};

template <>
struct opsgraph::json::Schema<opsgraph::engine::StoreConfig> {
  using T = opsgraph::engine::StoreConfig;
  static constexpr bool allow_unknown = false;
  static constexpr auto fields = std::make_tuple(
      json::optional_field("kind", &T::kind), json::optional_field("path", &T::path),
      json::optional_field("dsn", &T::dsn), json::optional_field("schema", &T::schema),
      json::optional_field("pool_size", &T::pool_size));
};

template <>
struct opsgraph::json::Schema<opsgraph::engine::AgentConfig> {
  using T = opsgraph::engine::AgentConfig;
  static constexpr bool allow_unknown = false;
  static constexpr auto fields =
      std::make_tuple(json::field("name", &T::name), json::optional_field("model", &T::model),
                      json::optional_field("prompt_path", &T::prompt_path),
                      json::optional_field("schema_path", &T::schema_path),
                      json::optional_field("temperature", &T::temperature),
                      json::optional_field("max_tokens", &T::max_tokens),
                      json::optional_field("repair_attempts", &T::repair_attempts));
};

template <>
struct opsgraph::json::Schema<opsgraph::engine::PolicyConfig> {
  using T = opsgraph::engine::PolicyConfig;
  static constexpr bool allow_unknown = false;
  static constexpr auto fields = std::make_tuple(
      json::optional_field("min_diagnosis_confidence", &T::min_diagnosis_confidence),
      json::optional_field("max_script_attempts", &T::max_script_attempts),
      json::optional_field("node_attempts", &T::node_attempts),
      json::optional_field("node_timeout_ms", &T::node_timeout_ms));
};

template <>
struct opsgraph::json::Schema<opsgraph::engine::LimitsConfig> {
  using T = opsgraph::engine::LimitsConfig;
  static constexpr bool allow_unknown = false;
  static constexpr auto fields =
      std::make_tuple(json::optional_field("max_running_tasks", &T::max_running_tasks),
                      json::optional_field("lease_ttl_ms", &T::lease_ttl_ms),
                      json::optional_field("poll_interval_ms", &T::poll_interval_ms),
                      json::optional_field("task_deadline_ms", &T::task_deadline_ms),
                      json::optional_field("io_threads", &T::io_threads),
                      json::optional_field("blocking_threads", &T::blocking_threads));
};

template <>
struct opsgraph::json::Schema<opsgraph::engine::EngineConfig> {
  using T = opsgraph::engine::EngineConfig;
  static constexpr bool allow_unknown = false;
  static constexpr auto fields = std::make_tuple(
      json::optional_field("provider", &T::provider), json::optional_field("store", &T::store),
      json::optional_field("agents", &T::agents),
      json::optional_field("router_rules_path", &T::router_rules_path),
      json::optional_field("script_rules_path", &T::script_rules_path),
      json::optional_field("policy", &T::policy), json::optional_field("limits", &T::limits),
      json::optional_field("server", &T::server));
};
