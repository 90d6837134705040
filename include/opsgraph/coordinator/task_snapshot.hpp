#pragma once
// opsgraph::coordinator::TaskSnapshot — one IT task as its clients see it: the request, where it
// stands, how it was routed and planned, what the specialists produced, every human decision,
// the error if it failed and what it cost. Engine::status returns it; the HTTP service serves its
// JSON unchanged (field names as docs/engine.md lists them). A plain value: a copy of the task at
// one moment.

#include <cstdint>
#include <opsgraph/agents/diagnosis.hpp>
#include <opsgraph/agents/documents.hpp>
#include <opsgraph/agents/plan.hpp>
#include <opsgraph/agents/script.hpp>
#include <opsgraph/agents/usage.hpp>
#include <opsgraph/coordinator/approval.hpp>
#include <opsgraph/coordinator/task_status.hpp>
#include <opsgraph/core/clock.hpp>
#include <opsgraph/core/json_codec.hpp>
#include <opsgraph/core/json_value.hpp>
#include <opsgraph/router/route_decision.hpp>
#include <opsgraph/safety/language.hpp>
#include <optional>
#include <string>
#include <vector>

namespace opsgraph::coordinator {

/// Why a task failed: the error, the graph node it happened in and how often that node was tried.
struct TaskError {
  /// The errc name ("upstream_unavailable", "bad_response", ...).
  std::string code;
  std::string message;
  /// Whether the failure itself may pass when tried again; a failed task can always be retried.
  bool retryable = false;
  std::string node;
  int attempts = 0;
  json::Value details;
  friend bool operator==(const TaskError&, const TaskError&) = default;
};

/// What the task's LLM calls cost, over its whole life.
using Usage = agents::Usage;

struct TaskSnapshot {
  std::string task_id;
  TaskStatus status = TaskStatus::queued;
  Stage stage = Stage::routing;
  std::string request;
  /// The caller's context object (string keys, scalar values), or null.
  json::Value context;
  std::string requester;
  /// What the caller asked for beside the text: true adds an approval, false never removes one.
  std::optional<bool> require_approval;
  std::optional<safety::Language> language;
  TimePoint created_at{};
  TimePoint updated_at{};
  /// The store's compare-and-swap version of the record this snapshot was read from.
  std::uint64_t version = 0;

  /// Same as route_decision.risk, at top level where clients look for it.
  router::Risk risk;
  router::Route route;
  router::TaskType task_type = router::TaskType::simple;
  std::vector<router::Exclusion> exclusions;
  bool injection_suspected = false;

  std::optional<agents::Plan> plan;
  std::optional<agents::Diagnosis> diagnosis;
  std::optional<agents::Script> script;
  /// Why there is no script although automation was planned (e.g. "no problem identified").
  std::string automation_note;
  std::optional<agents::Email> email;
  /// The email as one string starting with a Subject line.
  std::optional<std::string> email_draft;
  std::string summary;
  std::string report_markdown;
  std::vector<agents::ActionItem> action_items;
  /// What the user's own steps (CoordinatorParts::custom_steps) add, by step name.
  json::Value extensions;

  std::vector<Approval> approvals;
  std::optional<TaskError> error;
  Usage usage;
  /// From creation to the final status (or to now, for a task still going).
  double duration_seconds = 0.0;

  friend bool operator==(const TaskSnapshot&, const TaskSnapshot&) = default;
};

/// The latest decision recorded at `gate`, or nullptr.
inline const Approval* decision_at(const TaskSnapshot& task, Stage gate) noexcept {
  for (auto it = task.approvals.rbegin(); it != task.approvals.rend(); ++it) {
    if (it->gate == gate)
      return &*it;
  }
  return nullptr;
}

}  // namespace opsgraph::coordinator

template <>
struct opsgraph::json::Schema<opsgraph::coordinator::TaskError> {
  using T = opsgraph::coordinator::TaskError;
  static constexpr auto fields = std::make_tuple(
      json::field("code", &T::code), json::field("message", &T::message),
      json::field("retryable", &T::retryable), json::optional_field("node", &T::node),
      json::optional_field("attempts", &T::attempts), json::optional_field("details", &T::details));
};

template <>
struct opsgraph::json::Schema<opsgraph::coordinator::TaskSnapshot> {
  using T = opsgraph::coordinator::TaskSnapshot;
  static constexpr auto fields = std::make_tuple(
      json::field("task_id", &T::task_id), json::field("status", &T::status),
      json::field("stage", &T::stage), json::field("request", &T::request),
      json::optional_field("context", &T::context),
      json::optional_field("requester", &T::requester),
      json::optional_field("require_approval", &T::require_approval),
      json::optional_field("language", &T::language),
      json::optional_field("created_at", &T::created_at),
      json::optional_field("updated_at", &T::updated_at),
      json::optional_field("version", &T::version), json::optional_field("risk", &T::risk),
      json::optional_field("route", &T::route), json::optional_field("task_type", &T::task_type),
      json::optional_field("exclusions", &T::exclusions),
      json::optional_field("injection_suspected", &T::injection_suspected),
      json::optional_field("plan", &T::plan), json::optional_field("diagnosis", &T::diagnosis),
      json::optional_field("script", &T::script),
      json::optional_field("automation_note", &T::automation_note),
      json::optional_field("email", &T::email),
      json::optional_field("email_draft", &T::email_draft),
      json::optional_field("summary", &T::summary),
      json::optional_field("report_markdown", &T::report_markdown),
      json::optional_field("action_items", &T::action_items),
      json::optional_field("extensions", &T::extensions),
      json::optional_field("approvals", &T::approvals), json::optional_field("error", &T::error),
      json::optional_field("usage", &T::usage),
      json::optional_field("duration_seconds", &T::duration_seconds));
};
