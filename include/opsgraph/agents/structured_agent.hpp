#pragma once
// opsgraph::agents::StructuredAgent — asks a model for an answer that follows the agent's schema,
// and repairs it when it does not: the answer is validated, and a non-conforming one is sent back
// with the exact violations (`$.solutions[0].confidence: expected one of ...`) a bounded number of
// times before the call fails with errc::bad_response. Upstream failures (the provider already
// retried them) are returned as they are, never re-asked.
//
// Thread-safe: ask() is const; one StructuredAgent serves any number of concurrent calls. The
// provider passed to ask() must outlive the call.

#include <map>
#include <memory>
#include <opsgraph/agents/agent_spec.hpp>
#include <opsgraph/agents/usage.hpp>
#include <opsgraph/core/json_codec.hpp>
#include <opsgraph/core/json_value.hpp>
#include <opsgraph/core/result.hpp>
#include <opsgraph/core/task.hpp>
#include <opsgraph/export.hpp>
#include <opsgraph/llm/provider.hpp>
#include <opsgraph/llm/schema_validator.hpp>
#include <string>

namespace opsgraph::agents {

/// Tracing labels of one agent call, copied into llm::ChatRequest::metadata; never sent upstream.
using CallLabels = std::map<std::string, std::string>;

/// An agent's input already written as JSON text (an object), for callers that write it straight
/// with a json::Writer rather than build a json::Value to be dumped. Sent as it is.
struct InputText {
  std::string json;
};

class OPSGRAPH_API StructuredAgent {
 public:
  /// Compiles the spec's schema. Errors: invalid_argument (a schema the validator refuses, an
  /// empty prompt, a negative repair_attempts).
  static result<StructuredAgent> create(AgentSpec spec);

  /// Sends the system prompt and `input` (the user message: a JSON object the prompt describes)
  /// and returns the answer once it satisfies the schema. Every call made, repairs included, is
  /// added to `usage` as it completes, even when the agent fails in the end.
  Task<result<json::Value>> ask(llm::Provider& provider, json::Value input, Usage& usage) const;

  /// ask() with tracing labels (e.g. task_id, node) added to every request's metadata beside
  /// "agent": what a provider, its logs and cassettes see of where a call comes from.
  Task<result<json::Value>> ask(llm::Provider& provider, json::Value input, Usage& usage,
                                CallLabels labels) const;

  /// The same with the input already JSON text.
  Task<result<json::Value>> ask(llm::Provider& provider, InputText input, Usage& usage,
                                CallLabels labels) const;

  const AgentSpec& spec() const noexcept { return *spec_; }

 private:
  StructuredAgent(std::shared_ptr<const AgentSpec> spec, llm::SchemaValidator validator)
      : spec_(std::move(spec)),
        schema_(std::make_shared<const json::Value>(spec_->schema)),
        validator_(std::move(validator)) {}
  std::shared_ptr<const AgentSpec> spec_;
  // What every request points at, rather than a copy of the schema per call.
  std::shared_ptr<const json::Value> schema_;
  llm::SchemaValidator validator_;
};

OPSGRAPH_COROUTINES_BEGIN
/// ask(), decoded into T: a schema-valid answer that still fails T's decoding (a constraint the
/// schema could not express) is a bad_response too. `input`: a json::Value or an InputText.
template <class T, class Input>
Task<result<T>> ask_as(const StructuredAgent& agent, llm::Provider& provider, Input input,
                       Usage& usage, CallLabels labels) {
  auto answer = co_await agent.ask(provider, std::move(input), usage, std::move(labels));
  if (!answer)
    co_return answer.error();
  auto decoded = json::from_value<T>(answer.value());
  if (!decoded) {
    co_return make_error(
        errc::bad_response,
        "agent " + agent.spec().name + ": the answer does not decode: " + decoded.error().message);
  }
  co_return std::move(decoded).value();
}
OPSGRAPH_COROUTINES_END

}  // namespace opsgraph::agents
