#pragma once
// A task record shaped like the one DESIGN.md describes (route, plan with step_details, diagnosis
// with solutions, script, approvals, usage), its Schema declarations, and a realistic sample of
// about 3 KB of JSON. Shared by the typed-codec and the hand-written RapidJSON benchmarks.

#include <chrono>
#include <cstdint>
#include <opsgraph/core/clock.hpp>
#include <opsgraph/core/json_codec.hpp>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

namespace bench {

enum class Status { waiting_approval, queued, in_progress, completed, failed, rejected, cancelled };
enum class Confidence { low, medium, high };

struct Risk {
  std::string level;
  double score = 0;
  std::vector<std::string> reasons;
  friend bool operator==(const Risk&, const Risk&) = default;
};

struct Complexity {
  std::string level;
  double score = 0;
  friend bool operator==(const Complexity&, const Complexity&) = default;
};

struct Route {
  std::string category;
  std::vector<std::string> required_agents;
  Risk risk;
  Complexity complexity;
  bool requires_approval = false;
  friend bool operator==(const Route&, const Route&) = default;
};

struct StepDetail {
  int step_number = 0;
  std::string agent;
  std::string description;
  std::vector<int> depends_on;
  friend bool operator==(const StepDetail&, const StepDetail&) = default;
};

struct Plan {
  std::vector<std::string> steps;
  std::vector<StepDetail> step_details;
  std::string summary;
  std::string hash;
  friend bool operator==(const Plan&, const Plan&) = default;
};

struct Solution {
  std::string title;
  std::string description;
  std::vector<std::string> steps;
  Confidence confidence = Confidence::low;
  double score = 0;
  friend bool operator==(const Solution&, const Solution&) = default;
};

struct Diagnosis {
  std::string problem;
  bool problem_identified = false;
  std::string root_cause;
  std::vector<std::string> evidence;
  std::vector<Solution> solutions;
  double confidence = 0;
  std::vector<std::string> affected_components;
  friend bool operator==(const Diagnosis&, const Diagnosis&) = default;
};

struct SyntaxReport {
  bool ok = false;
  std::string checker;
  friend bool operator==(const SyntaxReport&, const SyntaxReport&) = default;
};

struct Finding {
  std::string rule_id;
  std::string severity;
  int line = 0;
  std::string message;
  friend bool operator==(const Finding&, const Finding&) = default;
};

struct Script {
  std::string language;
  std::string code;
  std::optional<std::string> rollback_code;
  bool lint_passed = false;
  SyntaxReport syntax;
  std::vector<Finding> findings;
  std::vector<std::string> verification_steps;
  bool requires_elevation = false;
  std::string hash;
  friend bool operator==(const Script&, const Script&) = default;
};

struct Approval {
  std::string gate;
  std::string actor;
  opsgraph::TimePoint at{};
  std::string decision;
  std::string hash;
  std::optional<std::string> comment;
  friend bool operator==(const Approval&, const Approval&) = default;
};

struct Usage {
  int llm_calls = 0;
  std::int64_t prompt_tokens = 0;
  std::int64_t completion_tokens = 0;
  double llm_seconds = 0;
  friend bool operator==(const Usage&, const Usage&) = default;
};

struct TaskRecord {
  std::string task_id;
  Status status = Status::queued;
  std::string stage;
  std::int64_t version = 0;
  std::string request;
  opsgraph::TimePoint created_at{};
  opsgraph::TimePoint updated_at{};
  Route route;
  Plan plan;
  Diagnosis diagnosis;
  Script script;
  std::vector<Approval> approvals;
  std::optional<std::string> email_draft;
  Usage usage;
  double duration_seconds = 0;
  friend bool operator==(const TaskRecord&, const TaskRecord&) = default;
};

/// The record every benchmark encodes, and (as text) decodes.
TaskRecord sample_record();

}  // namespace bench

namespace json = opsgraph::json;

template <>
struct opsgraph::json::Schema<bench::Status> {
  static constexpr auto names = json::enum_names<bench::Status>({
      {bench::Status::waiting_approval, "waiting_approval"},
      {bench::Status::queued, "queued"},
      {bench::Status::in_progress, "in_progress"},
      {bench::Status::completed, "completed"},
      {bench::Status::failed, "failed"},
      {bench::Status::rejected, "rejected"},
      {bench::Status::cancelled, "cancelled"},
  });
};

template <>
struct opsgraph::json::Schema<bench::Confidence> {
  static constexpr auto names = json::enum_names<bench::Confidence>({
      {bench::Confidence::low, "low"},
      {bench::Confidence::medium, "medium"},
      {bench::Confidence::high, "high"},
  });
};

template <>
struct opsgraph::json::Schema<bench::Risk> {
  static constexpr auto fields = std::make_tuple(json::field("level", &bench::Risk::level),
                                                 json::field("score", &bench::Risk::score),
                                                 json::field("reasons", &bench::Risk::reasons));
};

template <>
struct opsgraph::json::Schema<bench::Complexity> {
  static constexpr auto fields = std::make_tuple(json::field("level", &bench::Complexity::level),
                                                 json::field("score", &bench::Complexity::score));
};

template <>
struct opsgraph::json::Schema<bench::Route> {
  static constexpr auto fields =
      std::make_tuple(json::field("category", &bench::Route::category),
                      json::field("required_agents", &bench::Route::required_agents),
                      json::field("risk", &bench::Route::risk),
                      json::field("complexity", &bench::Route::complexity),
                      json::field("requires_approval", &bench::Route::requires_approval));
};

template <>
struct opsgraph::json::Schema<bench::StepDetail> {
  static constexpr auto fields =
      std::make_tuple(json::field("step_number", &bench::StepDetail::step_number),
                      json::field("agent", &bench::StepDetail::agent),
                      json::field("description", &bench::StepDetail::description),
                      json::optional_field("depends_on", &bench::StepDetail::depends_on));
  static constexpr bool allow_unknown = false;
};

template <>
struct opsgraph::json::Schema<bench::Plan> {
  static constexpr auto fields = std::make_tuple(
      json::field("steps", &bench::Plan::steps),
      json::field("step_details", &bench::Plan::step_details),
      json::field("summary", &bench::Plan::summary), json::field("hash", &bench::Plan::hash));
};

template <>
struct opsgraph::json::Schema<bench::Solution> {
  static constexpr auto fields =
      std::make_tuple(json::field("title", &bench::Solution::title),
                      json::field("description", &bench::Solution::description),
                      json::field("steps", &bench::Solution::steps),
                      json::field("confidence", &bench::Solution::confidence),
                      json::field("score", &bench::Solution::score));
};

template <>
struct opsgraph::json::Schema<bench::Diagnosis> {
  static constexpr auto fields =
      std::make_tuple(json::field("problem", &bench::Diagnosis::problem),
                      json::field("problem_identified", &bench::Diagnosis::problem_identified),
                      json::field("root_cause", &bench::Diagnosis::root_cause),
                      json::field("evidence", &bench::Diagnosis::evidence),
                      json::field("solutions", &bench::Diagnosis::solutions),
                      json::field("confidence", &bench::Diagnosis::confidence),
                      json::field("affected_components", &bench::Diagnosis::affected_components));
};

template <>
struct opsgraph::json::Schema<bench::SyntaxReport> {
  static constexpr auto fields =
      std::make_tuple(json::field("ok", &bench::SyntaxReport::ok),
                      json::field("checker", &bench::SyntaxReport::checker));
};

template <>
struct opsgraph::json::Schema<bench::Finding> {
  static constexpr auto fields = std::make_tuple(json::field("rule_id", &bench::Finding::rule_id),
                                                 json::field("severity", &bench::Finding::severity),
                                                 json::field("line", &bench::Finding::line),
                                                 json::field("message", &bench::Finding::message));
};

template <>
struct opsgraph::json::Schema<bench::Script> {
  static constexpr auto fields = std::make_tuple(
      json::field("language", &bench::Script::language), json::field("code", &bench::Script::code),
      json::field("rollback_code", &bench::Script::rollback_code),
      json::field("lint_passed", &bench::Script::lint_passed),
      json::field("syntax", &bench::Script::syntax),
      json::field("findings", &bench::Script::findings),
      json::field("verification_steps", &bench::Script::verification_steps),
      json::field("requires_elevation", &bench::Script::requires_elevation),
      json::field("hash", &bench::Script::hash));
};

template <>
struct opsgraph::json::Schema<bench::Approval> {
  static constexpr auto fields = std::make_tuple(
      json::field("gate", &bench::Approval::gate), json::field("actor", &bench::Approval::actor),
      json::field("at", &bench::Approval::at), json::field("decision", &bench::Approval::decision),
      json::field("hash", &bench::Approval::hash),
      json::field("comment", &bench::Approval::comment));
};

template <>
struct opsgraph::json::Schema<bench::Usage> {
  static constexpr auto fields =
      std::make_tuple(json::field("llm_calls", &bench::Usage::llm_calls),
                      json::field("prompt_tokens", &bench::Usage::prompt_tokens),
                      json::field("completion_tokens", &bench::Usage::completion_tokens),
                      json::field("llm_seconds", &bench::Usage::llm_seconds));
};

template <>
struct opsgraph::json::Schema<bench::TaskRecord> {
  static constexpr auto fields =
      std::make_tuple(json::field("task_id", &bench::TaskRecord::task_id),
                      json::field("status", &bench::TaskRecord::status),
                      json::field("stage", &bench::TaskRecord::stage),
                      json::field("version", &bench::TaskRecord::version),
                      json::field("request", &bench::TaskRecord::request),
                      json::field("created_at", &bench::TaskRecord::created_at),
                      json::field("updated_at", &bench::TaskRecord::updated_at),
                      json::field("route", &bench::TaskRecord::route),
                      json::field("plan", &bench::TaskRecord::plan),
                      json::field("diagnosis", &bench::TaskRecord::diagnosis),
                      json::field("script", &bench::TaskRecord::script),
                      json::field("approvals", &bench::TaskRecord::approvals),
                      json::field("email_draft", &bench::TaskRecord::email_draft),
                      json::field("usage", &bench::TaskRecord::usage),
                      json::field("duration_seconds", &bench::TaskRecord::duration_seconds));
};
