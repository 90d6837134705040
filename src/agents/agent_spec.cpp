// The built-in agents, and agents read from files.

#include <fstream>
#include <opsgraph/agents/agent_spec.hpp>
#include <opsgraph/core/json.hpp>
#include <opsgraph/llm/schema_validator.hpp>
#include <sstream>

#include "agents/embedded.hpp"

namespace opsgraph::agents {
namespace {

struct Builtin {
  std::string_view name;
  std::string_view (*prompt)() noexcept;
  std::string_view (*schema)() noexcept;
  std::string_view schema_name;
};

constexpr Builtin kBuiltins[] = {
    {"planner", embedded::planner_prompt, embedded::planner_schema, "opsgraph_plan_v1"},
    {"diagnostic", embedded::diagnostic_prompt, embedded::diagnosis_schema,
     "opsgraph_diagnosis_v1"},
    {"automation", embedded::automation_prompt, embedded::script_schema, "opsgraph_script_v1"},
    {"writer", embedded::writer_prompt, embedded::documents_schema, "opsgraph_documents_v1"},
};

result<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return fail(errc::not_found, path + ": cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

result<json::Value> parse_schema(std::string_view text, std::string_view source) {
  auto schema = json::parse(text);
  if (!schema) {
    return fail(errc::invalid_argument,
                std::string(source) + ": not JSON: " + schema.error().message);
  }
  if (auto compiled = llm::SchemaValidator::compile(schema.value()); !compiled) {
    return fail(errc::invalid_argument, std::string(source) + ": " + compiled.error().message);
  }
  return schema;
}

}  // namespace

const std::vector<std::string>& builtin_agent_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const auto& b : kBuiltins)
      out.emplace_back(b.name);
    return out;
  }();
  return names;
}

result<AgentSpec> builtin_agent(std::string_view name) {
  for (const auto& b : kBuiltins) {
    if (b.name != name)
      continue;
    AgentSpec spec;
    spec.name = std::string(b.name);
    spec.system_prompt = std::string(b.prompt());
    spec.schema_name = std::string(b.schema_name);
    OPSGRAPH_TRY(spec.schema, parse_schema(b.schema(), spec.name + " schema (built in)"));
    return spec;
  }
  return fail(errc::not_found, "no built-in agent is called \"" + std::string(name) + "\"");
}

result<AgentSpec> with_files(AgentSpec spec, const std::string& prompt_path,
                             const std::string& schema_path) {
  if (!prompt_path.empty()) {
    OPSGRAPH_TRY(spec.system_prompt, read_file(prompt_path));
  }
  if (!schema_path.empty()) {
    OPSGRAPH_TRY(auto text, read_file(schema_path));
    OPSGRAPH_TRY(spec.schema, parse_schema(text, schema_path));
  }
  return spec;
}

}  // namespace opsgraph::agents
