// The agents' data files as the library and the demo use them: the system prompts in
// data/prompts open with the marker sentence the mock server matches on, the answer schemas in
// data/schemas compile and keep OpenAI's strict-mode form, and every scripted answer in
// examples/demo/mock_rules.json is valid against its agent's schema, decodes into its C++ type
// and, for scripts, passes the ScriptChecker.

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <opsgraph/agents/diagnosis.hpp>
#include <opsgraph/agents/documents.hpp>
#include <opsgraph/agents/plan.hpp>
#include <opsgraph/agents/script.hpp>
#include <opsgraph/core/json.hpp>
#include <opsgraph/core/json_codec.hpp>
#include <opsgraph/llm/schema_validator.hpp>
#include <opsgraph/mock/rules.hpp>
#include <opsgraph/router/refine.hpp>
#include <opsgraph/safety/script_checker.hpp>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace opsgraph::agents {
namespace {

const std::string kSourceDir = OPSGRAPH_SOURCE_DIR;

enum class Role { planner, diagnostic, automation, writer };

struct AgentFiles {
  Role role;
  std::string_view prompt;  // under data/prompts
  std::string_view schema;  // under data/schemas
  std::string_view marker;  // the prompt's first sentence
};

constexpr AgentFiles kAgents[] = {
    {Role::planner, "planner.md", "planner.v1.json", "You are the opsgraph planner."},
    {Role::diagnostic, "diagnostic.md", "diagnosis.v1.json",
     "You are the opsgraph diagnostic agent."},
    {Role::automation, "automation.md", "script.v1.json", "You are the opsgraph automation agent."},
    {Role::writer, "writer.md", "documents.v1.json", "You are the opsgraph writer."},
};

// The substrings of the two demo requests that the rules match the user message on.
constexpr std::string_view kDemoRequests[] = {"cpu01 hits 95", "lock RDP (3389)"};

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << "cannot read " << path;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

json::Value read_json(const std::string& path) {
  result<json::Value> value = json::parse(read_text(path));
  EXPECT_TRUE(value) << path << ": " << value.error().message;
  return value ? value.value() : json::Value();
}

json::Value schema_of(const AgentFiles& agent) {
  return read_json(kSourceDir + "/data/schemas/" + std::string(agent.schema));
}

llm::SchemaValidator validator_of(const AgentFiles& agent) {
  result<llm::SchemaValidator> validator = llm::SchemaValidator::compile(schema_of(agent));
  EXPECT_TRUE(validator) << agent.schema << ": " << validator.error().message;
  return validator ? validator.value() : llm::SchemaValidator::compile(json::Value(true)).value();
}

std::vector<mock::Rule> demo_rules() {
  const std::string path = kSourceDir + "/examples/demo/mock_rules.json";
  result<std::vector<mock::Rule>> rules = mock::parse_rules(read_text(path), path);
  EXPECT_TRUE(rules) << rules.error().message;
  return rules ? rules.value() : std::vector<mock::Rule>{};
}

const AgentFiles& files_of(Role role) {
  return *std::find_if(std::begin(kAgents), std::end(kAgents),
                       [role](const AgentFiles& agent) { return agent.role == role; });
}

// The agent whose marker the rule's system_contains is, or nullptr.
const AgentFiles* agent_of(const mock::Rule& rule) {
  for (const AgentFiles& agent : kAgents) {
    if (rule.match.system_contains == agent.marker)
      return &agent;
  }
  return nullptr;
}

// The scripted answer of the first rule for `role` and the demo request `request`.
json::Value demo_answer(Role role, std::string_view request) {
  for (const mock::Rule& rule : demo_rules()) {
    const AgentFiles* agent = agent_of(rule);
    if (agent != nullptr && agent->role == role && rule.match.user_contains == request &&
        rule.responses.front().json)
      return *rule.responses.front().json;
  }
  ADD_FAILURE() << "no demo answer for " << request;
  return json::Value();
}

std::vector<std::string> violations(const llm::SchemaValidator& validator,
                                    const json::Value& value) {
  std::vector<std::string> lines;
  for (const llm::Violation& violation : validator.validate(value))
    lines.push_back(violation.to_string());
  return lines;
}

// Adds a failure for every object schema under `schema` (at `where`) that is not in strict-mode
// form: additionalProperties false and every property required.
void expect_strict(const json::Value& schema, const std::string& where) {
  if (const json::Array* items = schema.if_array()) {
    for (std::size_t i = 0; i < items->size(); ++i)
      expect_strict((*items)[i], where + "/" + std::to_string(i));
    return;
  }
  const json::Object* object = schema.if_object();
  if (object == nullptr)
    return;
  if (const json::Value* properties = schema.find("properties")) {
    const json::Value* closed = schema.find("additionalProperties");
    EXPECT_TRUE(closed != nullptr && *closed == json::Value(false))
        << where << ": additionalProperties must be false";
    std::vector<std::string> names;
    for (const auto& [name, value] : *properties->if_object())
      names.push_back(name);
    std::vector<std::string> required;
    if (const json::Value* list = schema.find("required")) {
      for (const json::Value& name : *list->if_array())
        required.push_back(*name.if_string());
    }
    std::sort(names.begin(), names.end());
    std::sort(required.begin(), required.end());
    EXPECT_EQ(required, names) << where << ": every property must be required";
  }
  for (const auto& [keyword, value] : *object) {
    if (keyword != "enum" && keyword != "const" && keyword != "required")
      expect_strict(value, where + "/" + keyword);
  }
}

// `value` without its member `name` (an object).
json::Value without(json::Value value, std::string_view name) {
  json::Object* object = value.if_object();
  EXPECT_NE(object, nullptr);
  if (object != nullptr)
    std::erase_if(*object, [&](const auto& member) { return member.first == name; });
  return value;
}

TEST(AgentData, EverySchemaCompiles) {
  for (const AgentFiles& agent : kAgents) {
    result<llm::SchemaValidator> validator = llm::SchemaValidator::compile(schema_of(agent));
    EXPECT_TRUE(validator) << agent.schema << ": " << validator.error().message;
  }
}

TEST(AgentData, SchemasAreInStrictModeForm) {
  for (const AgentFiles& agent : kAgents) {
    const json::Value schema = schema_of(agent);
    EXPECT_NE(schema.find("title"), nullptr) << agent.schema;
    EXPECT_NE(schema.find("description"), nullptr) << agent.schema;
    ASSERT_NE(schema.find("type"), nullptr) << agent.schema;
    EXPECT_EQ(*schema.find("type"), json::Value("object")) << agent.schema;
    expect_strict(schema, std::string(agent.schema) + " #");
  }
}

TEST(AgentData, EveryPromptOpensWithItsMarkerAndNoOtherAgentsMarker) {
  for (const AgentFiles& agent : kAgents) {
    const std::string prompt = read_text(kSourceDir + "/data/prompts/" + std::string(agent.prompt));
    EXPECT_TRUE(prompt.starts_with(agent.marker)) << agent.prompt;
    for (const AgentFiles& other : kAgents) {
      if (other.role != agent.role) {
        EXPECT_EQ(prompt.find(other.marker), std::string::npos) << agent.prompt;
      }
    }
  }
}

TEST(AgentData, DemoRulesAnswerEveryAgentForBothRequests) {
  const std::vector<mock::Rule> rules = demo_rules();
  for (const AgentFiles& agent : kAgents) {
    for (std::string_view request : kDemoRequests) {
      const auto count = std::count_if(rules.begin(), rules.end(), [&](const mock::Rule& rule) {
        return rule.match.system_contains == agent.marker && rule.match.user_contains == request;
      });
      EXPECT_EQ(count, 1) << agent.marker << " / " << request;
    }
  }
  for (const mock::Rule& rule : rules) {
    EXPECT_NE(agent_of(rule), nullptr) << rule.name << ": system_contains is no agent's marker";
    ASSERT_EQ(rule.responses.size(), 1u) << rule.name;
    EXPECT_TRUE(rule.responses.front().json) << rule.name << ": answers with JSON";
  }
}

TEST(AgentData, DemoAnswersMatchTheirSchemaAndDecode) {
  for (const mock::Rule& rule : demo_rules()) {
    const AgentFiles* agent = agent_of(rule);
    ASSERT_NE(agent, nullptr) << rule.name;
    ASSERT_TRUE(rule.responses.front().json) << rule.name;
    const json::Value& answer = *rule.responses.front().json;
    EXPECT_EQ(violations(validator_of(*agent), answer), std::vector<std::string>{}) << rule.name;

    switch (agent->role) {
      case Role::planner: {
        ASSERT_NE(answer.find("plan"), nullptr) << rule.name;
        result<Plan> plan = json::from_value<Plan>(*answer.find("plan"));
        ASSERT_TRUE(plan) << rule.name << ": " << plan.error().message;
        EXPECT_EQ(plan.value().steps.size(), plan.value().step_details.size()) << rule.name;
        for (std::size_t i = 0; i < plan.value().step_details.size(); ++i)
          EXPECT_EQ(plan.value().step_details[i].step_number, static_cast<int>(i + 1)) << rule.name;
        ASSERT_NE(answer.find("analysis"), nullptr) << rule.name;
        result<router::RouteAnalysis> analysis =
            json::from_value<router::RouteAnalysis>(*answer.find("analysis"));
        ASSERT_TRUE(analysis) << rule.name << ": " << analysis.error().message;
        EXPECT_TRUE(analysis.value().risk_level) << rule.name;
        break;
      }
      case Role::diagnostic: {
        result<Diagnosis> diagnosis = json::from_value<Diagnosis>(answer);
        ASSERT_TRUE(diagnosis) << rule.name << ": " << diagnosis.error().message;
        EXPECT_FALSE(diagnosis.value().solutions.empty()) << rule.name;
        break;
      }
      case Role::automation: {
        result<ScriptDraft> draft = json::from_value<ScriptDraft>(answer);
        ASSERT_TRUE(draft) << rule.name << ": " << draft.error().message;
        EXPECT_FALSE(draft.value().code.empty()) << rule.name;
        break;
      }
      case Role::writer: {
        result<Documents> documents = json::from_value<Documents>(answer);
        ASSERT_TRUE(documents) << rule.name << ": " << documents.error().message;
        EXPECT_TRUE(documents.value().email) << rule.name;
        break;
      }
    }
  }
}

TEST(AgentData, DemoPlansMatchTheRequestsRisk) {
  const auto analysis_of = [](std::string_view request) {
    const json::Value answer = demo_answer(Role::planner, request);
    const json::Value* analysis = answer.find("analysis");
    EXPECT_NE(analysis, nullptr) << request;
    result<router::RouteAnalysis> decoded =
        analysis != nullptr ? json::from_value<router::RouteAnalysis>(*analysis)
                            : json::from_value<router::RouteAnalysis>(json::Value());
    EXPECT_TRUE(decoded) << request;
    return decoded ? decoded.value() : router::RouteAnalysis{};
  };
  const router::RouteAnalysis cpu = analysis_of(kDemoRequests[0]);
  EXPECT_EQ(cpu.risk_level, router::Level::low);
  EXPECT_FALSE(cpu.requires_approval);
  EXPECT_EQ(cpu.language, safety::Language::powershell);
  const router::RouteAnalysis rdp = analysis_of(kDemoRequests[1]);
  EXPECT_EQ(rdp.risk_level, router::Level::high);
  EXPECT_TRUE(rdp.requires_approval);
  EXPECT_EQ(rdp.language, safety::Language::azurecli);
}

TEST(AgentData, DemoScriptsAndRollbacksPassTheChecker) {
  result<safety::ScriptChecker> checker = safety::ScriptChecker::create();
  ASSERT_TRUE(checker) << checker.error().message;
  for (std::string_view request : kDemoRequests) {
    result<ScriptDraft> draft =
        json::from_value<ScriptDraft>(demo_answer(Role::automation, request));
    ASSERT_TRUE(draft) << request;
    ASSERT_TRUE(draft.value().rollback_code) << request;
    for (const std::string* code : {&draft.value().code, &*draft.value().rollback_code}) {
      result<safety::CheckReport> report = checker.value().check(*code, draft.value().language);
      ASSERT_TRUE(report) << report.error().message;
      EXPECT_TRUE(report.value().lint_passed()) << request << "\n" << json::encode(report.value());
      EXPECT_FALSE(report.value().has_blocking_findings()) << request;
    }
  }
}

TEST(AgentData, AnAnswerMissingARequiredMemberIsRejected) {
  for (const AgentFiles& agent : kAgents) {
    const llm::SchemaValidator validator = validator_of(agent);
    const json::Value answer = demo_answer(agent.role, kDemoRequests[0]);
    const json::Value schema = schema_of(agent);
    const json::Value* required = schema.find("required");
    ASSERT_NE(required, nullptr) << agent.schema;
    for (const json::Value& name : *required->if_array()) {
      const std::vector<std::string> found =
          violations(validator, without(answer, *name.if_string()));
      EXPECT_FALSE(found.empty()) << agent.schema << " accepts an answer without "
                                  << *name.if_string();
    }
  }
  // Nullable members must still be present: strict mode has no optional properties.
  const json::Value script = demo_answer(Role::automation, kDemoRequests[0]);
  EXPECT_EQ(violations(validator_of(files_of(Role::automation)), without(script, "rollback_code")),
            std::vector<std::string>{"$.rollback_code: required property is missing"});
  json::Value plan = demo_answer(Role::planner, kDemoRequests[0]);
  plan.set("plan", without(*plan.find("plan"), "summary"));
  EXPECT_EQ(violations(validator_of(files_of(Role::planner)), plan),
            std::vector<std::string>{"$.plan.summary: required property is missing"});
}

TEST(AgentData, NullsTheSchemasAllowDecodeAsAbsentValues) {
  json::Value script = demo_answer(Role::automation, kDemoRequests[0]);
  script.set("rollback_code", nullptr);
  EXPECT_EQ(violations(validator_of(files_of(Role::automation)), script),
            std::vector<std::string>{});
  result<ScriptDraft> draft = json::from_value<ScriptDraft>(script);
  ASSERT_TRUE(draft) << draft.error().message;
  EXPECT_FALSE(draft.value().rollback_code);

  json::Value documents = demo_answer(Role::writer, kDemoRequests[0]);
  documents.set("email", nullptr);
  EXPECT_EQ(violations(validator_of(files_of(Role::writer)), documents),
            std::vector<std::string>{});
  result<Documents> decoded = json::from_value<Documents>(documents);
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_FALSE(decoded.value().email);

  json::Value planner = demo_answer(Role::planner, kDemoRequests[0]);
  json::Value analysis = *planner.find("analysis");
  analysis.set("language", nullptr);
  planner.set("analysis", analysis);
  EXPECT_EQ(violations(validator_of(files_of(Role::planner)), planner), std::vector<std::string>{});
  result<router::RouteAnalysis> route = json::from_value<router::RouteAnalysis>(analysis);
  ASSERT_TRUE(route) << route.error().message;
  EXPECT_FALSE(route.value().language);
}

TEST(AgentData, ValuesOutsideTheEnumsAndRangesAreRejected) {
  json::Value diagnosis = demo_answer(Role::diagnostic, kDemoRequests[0]);
  diagnosis.set("confidence", 1.5);
  EXPECT_FALSE(violations(validator_of(files_of(Role::diagnostic)), diagnosis).empty());
  json::Value script = demo_answer(Role::automation, kDemoRequests[0]);
  script.set("language", "cmd");
  EXPECT_FALSE(violations(validator_of(files_of(Role::automation)), script).empty());
  script = demo_answer(Role::automation, kDemoRequests[0]);
  script.set("extra", "not allowed");
  EXPECT_FALSE(violations(validator_of(files_of(Role::automation)), script).empty());
}

}  // namespace
}  // namespace opsgraph::agents
