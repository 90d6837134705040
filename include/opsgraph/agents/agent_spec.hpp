#pragma once
// opsgraph::agents::AgentSpec — everything that makes one LLM agent what it is, as data: its
// system prompt, the JSON schema its answer must follow, the model and sampling settings, and how
// often a non-conforming answer is sent back for repair. The four built-in agents (planner,
// diagnostic, automation, writer) ship their prompts and schemas inside the library; a user
// replaces any of them, or adds agents of their own, without rebuilding opsgraph.
//
// Plain values: copy and share them freely.

#include <opsgraph/core/json_value.hpp>
#include <opsgraph/core/result.hpp>
#include <opsgraph/export.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace opsgraph::agents {

struct AgentSpec {
  /// "planner", "diagnostic", "automation", "writer", or a user agent's name.
  std::string name;
  std::string system_prompt;
  /// The answer's JSON Schema (the subset llm::SchemaValidator supports), sent as
  /// response_format json_schema.
  json::Value schema;
  /// The schema's name as sent to the server, versioned: "opsgraph_diagnosis_v1".
  std::string schema_name;
  /// Empty: the provider's default model.
  std::string model;
  std::optional<double> temperature = 0.2;
  std::optional<std::int64_t> max_tokens = std::nullopt;
  /// How many times an answer that breaks its schema is sent back with the violations before the
  /// agent fails (errc::bad_response).
  int repair_attempts = 2;
};

/// The names of the built-in agents, in the order a task uses them.
OPSGRAPH_API const std::vector<std::string>& builtin_agent_names();

/// A built-in agent with the prompt and schema compiled into the library. Errors: not_found for
/// a name that is not built in.
OPSGRAPH_API result<AgentSpec> builtin_agent(std::string_view name);

/// `spec` with its prompt and/or schema read from files (an empty path keeps the current one).
/// Errors: not_found (unreadable file), invalid_argument (a schema that is not JSON or that the
/// validator refuses; the message names the file).
OPSGRAPH_API result<AgentSpec> with_files(AgentSpec spec, const std::string& prompt_path,
                                          const std::string& schema_path);

}  // namespace opsgraph::agents
