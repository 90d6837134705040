#pragma once
// The Engine against real parts: a SQLite file in a temporary directory, the mock LLM server on
// 127.0.0.1 with scripted answers per agent, and the OpenAI-compatible provider in between.

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <opsgraph/core/json.hpp>
#include <opsgraph/core/runtime.hpp>
#include <opsgraph/engine/engine.hpp>
#include <opsgraph/llm/openai.hpp>
#include <opsgraph/mock/llm_server.hpp>
#include <opsgraph/mock/rules.hpp>
#include <opsgraph/store/sqlite_store.hpp>
#include <string>
#include <vector>

#include "support/temp_dir.hpp"

namespace opsgraph::engine::testing {

using namespace std::chrono_literals;
using coordinator::Stage;
using coordinator::TaskSnapshot;
using coordinator::TaskStatus;

/// What the system prompts of the built-in agents contain; the mock's rules match on it.
inline constexpr const char* kPlanner = "opsgraph planner";
inline constexpr const char* kDiagnostic = "opsgraph diagnostic";
inline constexpr const char* kAutomation = "opsgraph automation";
inline constexpr const char* kWriter = "opsgraph writer";

/// A plan; `high` makes the planner claim high risk with approval.
json::Value plan_answer(bool high = false);
json::Value diagnosis_answer(bool problem = true, double confidence = 0.8);
/// A PowerShell script; `dangerous` makes it wipe a disk.
json::Value script_answer(bool dangerous = false);
/// Azure CLI NSG commands with their rollback; answered when the request asks for azurecli.
json::Value azure_script_answer();
json::Value documents_answer();

/// A rule answering the agent whose prompt contains `marker` with `answer` (every time, or only
/// `times` times).
mock::Rule answer_rule(const char* marker, json::Value answer,
                       std::optional<std::size_t> times = std::nullopt);
/// A rule injecting `fault` ("500", "hang", ...) for the agent, `times` times (or always).
mock::Rule fault_rule(const char* marker, std::string_view fault,
                      std::optional<std::size_t> times = std::nullopt);

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  /// The four normal answers (Azure CLI for requests in that language), after any rules the test
  /// added first.
  void add_default_rules();
  void add_rule(mock::Rule rule);

  /// An engine on the test's SQLite file and the mock; `tweak` adjusts the options first.
  std::unique_ptr<Engine> make_engine(const std::function<void(EngineOptions&)>& tweak =
                                          [](EngineOptions&) {});
  /// The engine of the test (made on first use).
  Engine& engine();

  TaskSnapshot execute(std::string request, std::optional<bool> require_approval = false);
  TaskSnapshot wait(const std::string& id, WaitFor what, std::chrono::milliseconds timeout = 30s);
  /// The types of the task's stored events, in order.
  std::vector<std::string> event_types(const std::string& id);
  /// Chat requests the mock matched to the rule named `name` (rule names are the markers).
  std::uint64_t calls_to(const std::string& name) const;

  opsgraph::testing::TempDir dir_;
  std::string db_path_;
  Runtime provider_runtime_{Runtime::Options{1, 1}};
  std::unique_ptr<mock::MockLlmServer> server_;
  std::shared_ptr<llm::Provider> provider_;
  std::shared_ptr<store::SqliteStore> store_;
  std::unique_ptr<Engine> engine_;
};

}  // namespace opsgraph::engine::testing
