// StructuredAgent: one schema-constrained question to a model, with a bounded repair loop.

#include <opsgraph/agents/structured_agent.hpp>
#include <opsgraph/core/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace opsgraph::agents {
namespace {

// The most violations quoted back to the model: enough to fix the answer, short enough not to
// crowd the conversation.
constexpr std::size_t kViolationsQuoted = 8;

std::string repair_request(const std::vector<llm::Violation>& violations) {
  std::string text =
      "Your answer does not match the required JSON schema. Fix these problems and answer again "
      "with the complete JSON object only:\n";
  for (std::size_t i = 0; i < violations.size() && i < kViolationsQuoted; ++i)
    text += "- " + violations[i].to_string() + "\n";
  return text;
}

Error never_conformed(const AgentSpec& spec, const std::vector<llm::Violation>& violations) {
  json::Array listed;
  std::string message = "agent " + spec.name + ": the answer broke its schema after " +
                        std::to_string(spec.repair_attempts) + " repair(s)";
  for (const auto& v : violations) {
    listed.push_back(json::Object{{"path", v.path}, {"message", v.message}});
    if (listed.size() == 1)
      message += ": " + v.to_string();
  }
  return Error{errc::bad_response, std::move(message), false,
               json::Object{{"agent", spec.name}, {"violations", std::move(listed)}}};
}

}  // namespace

result<StructuredAgent> StructuredAgent::create(AgentSpec spec) {
  if (spec.name.empty())
    return fail(errc::invalid_argument, "agent spec: empty name");
  if (spec.system_prompt.empty())
    return fail(errc::invalid_argument, "agent " + spec.name + ": empty system prompt");
  if (spec.repair_attempts < 0)
    return fail(errc::invalid_argument, "agent " + spec.name + ": negative repair_attempts");
  auto validator = llm::SchemaValidator::compile(spec.schema);
  if (!validator) {
    return fail(errc::invalid_argument, "agent " + spec.name + ": " + validator.error().message);
  }
  if (spec.schema_name.empty())
    spec.schema_name = "opsgraph_" + spec.name;
  return StructuredAgent(std::make_shared<const AgentSpec>(std::move(spec)),
                         std::move(validator).value());
}

Task<result<json::Value>> StructuredAgent::ask(llm::Provider& provider, json::Value input,
                                               Usage& usage) const {
  return ask(provider, std::move(input), usage, CallLabels{});
}

Task<result<json::Value>> StructuredAgent::ask(llm::Provider& provider, json::Value input,
                                               Usage& usage, CallLabels labels) const {
  // The input is kept as its text, not as a tree, while the call waits.
  return ask(provider, InputText{json::dump(input)}, usage, std::move(labels));
}

Task<result<json::Value>> StructuredAgent::ask(llm::Provider& provider, InputText input,
                                               Usage& usage, CallLabels labels) const {
  const AgentSpec& spec = *spec_;
  labels["agent"] = spec.name;
  // What a repair round sends again. Only the request holds the system prompt while a call
  // waits.
  const std::string user_text = std::move(input.json);
  std::vector<llm::Message> repairs;  // earlier answers and what was wrong with them

  for (int round = 0;; ++round) {
    // Built afresh and moved into the call: the prompt is copied once a round, the schema shared.
    llm::ChatRequest request;
    request.model = spec.model;
    request.temperature = spec.temperature;
    request.max_tokens = spec.max_tokens;
    request.response_format.type = llm::ResponseFormatType::json_schema;
    request.response_format.name = spec.schema_name;
    request.response_format.schema = schema_;
    request.response_format.strict = true;
    request.metadata = labels;
    request.messages.reserve(2 + repairs.size());
    request.messages.push_back(llm::Message{llm::Role::system, spec.system_prompt, std::nullopt});
    request.messages.push_back(llm::Message{llm::Role::user, user_text, std::nullopt});
    request.messages.insert(request.messages.end(), repairs.begin(), repairs.end());
    auto call = provider.chat(std::move(request));
    auto answer = co_await std::move(call);
    if (!answer)
      co_return answer.error();
    usage.add(answer.value());
    auto parsed = json::parse(answer.value().content);
    std::vector<llm::Violation> violations;
    if (parsed) {
      violations = validator_.validate(parsed.value());
      if (violations.empty())
        co_return std::move(parsed).value();
    } else {
      violations.push_back(llm::Violation{"$", "not JSON: " + parsed.error().message});
    }
    if (round >= spec.repair_attempts)
      co_return never_conformed(spec, violations);
    repairs.push_back(
        llm::Message{llm::Role::assistant, std::move(answer.value().content), std::nullopt});
    repairs.push_back(llm::Message{llm::Role::user, repair_request(violations), std::nullopt});
  }
}

}  // namespace opsgraph::agents
