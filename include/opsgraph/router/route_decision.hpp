#pragma once
// opsgraph::router::RouteDecision — what the TaskRouter decides about one free-text IT request:
// the kind of task, its category, the specialist agents it needs, its complexity, its risk with
// the rules that raised it, and whether a human must approve the plan. Plain values: copyable,
// comparable, safe to read from many threads; JSON codecs (snake_case) below.
//
// A decision carries its Floor: the risk and approval that the deterministic rules (and the
// caller) mandated. Later stages (router::refine) may raise a decision above its floor but never
// lower it below, so the floor travels with the decision through checkpoints and JSON.

#include <opsgraph/core/json_codec.hpp>
#include <opsgraph/safety/language.hpp>
#include <optional>
#include <string>
#include <vector>

namespace opsgraph::router {

/// A three-step scale, shared by risk and complexity. Ordered: low < medium < high.
enum class Level { low, medium, high };

/// How the coordinator treats the task: one agent, several steps, or a human gate first.
enum class TaskType {
  simple,    ///< One agent, low complexity.
  complex,   ///< Several agents, or complexity of medium or more.
  critical,  ///< High risk: a human approves the plan before anything changes a system.
};

/// The specialists a request can need.
enum class Agent {
  diagnostic,  ///< Read-only investigation: root cause, evidence, solutions.
  automation,  ///< Scripts and commands that change systems.
  writer,      ///< Emails, reports, documentation, summaries.
};

/// A deliverable the request explicitly declines ("I don't need a script", "no email please").
enum class Exclusion { script, email, report };

/// One reason behind a risk assessment: the rule (or stage) that raised it, and why.
struct Reason {
  std::string rule;
  std::string detail;

  friend bool operator==(const Reason&, const Reason&) = default;
};

struct Risk {
  Level level = Level::low;
  double score = 0.0;  ///< 0..1, consistent with level (see min_score).
  std::vector<Reason> reasons;

  friend bool operator==(const Risk&, const Risk&) = default;
};

struct Complexity {
  Level level = Level::low;
  double score = 0.0;  ///< 0..1; level follows from it (see level_of).

  friend bool operator==(const Complexity&, const Complexity&) = default;
};

struct Route {
  std::string category = "general";
  std::vector<Agent> required_agents;  ///< In the order diagnostic, automation, writer.
  Complexity complexity;
  bool requires_approval = false;

  friend bool operator==(const Route&, const Route&) = default;
};

/// What the rules and the caller mandated: no later stage may go below it.
struct Floor {
  Level risk = Level::low;
  double score = 0.0;
  bool requires_approval = false;

  friend bool operator==(const Floor&, const Floor&) = default;
};

struct RouteDecision {
  TaskType task_type = TaskType::simple;
  Risk risk;
  Route route;
  Floor floor;
  /// The script language the request asks for, when it names one (or the caller set one).
  std::optional<safety::Language> language;
  std::vector<Exclusion> exclusions;
  /// What normalisation changed before matching, e.g. "removed 2 zero-width characters".
  std::vector<std::string> normalization;
  /// The text tried to instruct the router, or was disguised: always high risk with approval.
  bool injection_suspected = false;

  friend bool operator==(const RouteDecision&, const RouteDecision&) = default;
};

/// The lowest score that is consistent with `level`: 0, 0.34 or 0.67.
constexpr double min_score(Level level) noexcept {
  switch (level) {
    case Level::low:
      return 0.0;
    case Level::medium:
      return 0.34;
    case Level::high:
      return 0.67;
  }
  return 0.0;
}

/// The level a 0..1 score falls in (the inverse of min_score).
constexpr Level level_of(double score) noexcept {
  if (score >= min_score(Level::high))
    return Level::high;
  if (score >= min_score(Level::medium))
    return Level::medium;
  return Level::low;
}

/// critical when risk is high; complex with several agents or complexity of medium or more;
/// simple otherwise.
constexpr TaskType task_type_of(Level risk, const Route& route) noexcept {
  if (risk == Level::high)
    return TaskType::critical;
  if (route.required_agents.size() > 1 || route.complexity.level != Level::low)
    return TaskType::complex;
  return TaskType::simple;
}

}  // namespace opsgraph::router

template <>
struct opsgraph::json::Schema<opsgraph::router::Level> {
  static constexpr auto names =
      json::enum_names<opsgraph::router::Level>({{opsgraph::router::Level::low, "low"},
                                                 {opsgraph::router::Level::medium, "medium"},
                                                 {opsgraph::router::Level::high, "high"}});
};

template <>
struct opsgraph::json::Schema<opsgraph::router::TaskType> {
  static constexpr auto names = json::enum_names<opsgraph::router::TaskType>(
      {{opsgraph::router::TaskType::simple, "simple"},
       {opsgraph::router::TaskType::complex, "complex"},
       {opsgraph::router::TaskType::critical, "critical"}});
};

template <>
struct opsgraph::json::Schema<opsgraph::router::Agent> {
  static constexpr auto names = json::enum_names<opsgraph::router::Agent>(
      {{opsgraph::router::Agent::diagnostic, "diagnostic"},
       {opsgraph::router::Agent::automation, "automation"},
       {opsgraph::router::Agent::writer, "writer"}});
};

template <>
struct opsgraph::json::Schema<opsgraph::router::Exclusion> {
  static constexpr auto names = json::enum_names<opsgraph::router::Exclusion>(
      {{opsgraph::router::Exclusion::script, "script"},
       {opsgraph::router::Exclusion::email, "email"},
       {opsgraph::router::Exclusion::report, "report"}});
};

template <>
struct opsgraph::json::Schema<opsgraph::router::Reason> {
  using T = opsgraph::router::Reason;
  static constexpr auto fields =
      std::make_tuple(json::field("rule", &T::rule), json::field("detail", &T::detail));
};

template <>
struct opsgraph::json::Schema<opsgraph::router::Risk> {
  using T = opsgraph::router::Risk;
  static constexpr auto fields =
      std::make_tuple(json::field("level", &T::level), json::field("score", &T::score),
                      json::optional_field("reasons", &T::reasons));
};

template <>
struct opsgraph::json::Schema<opsgraph::router::Complexity> {
  using T = opsgraph::router::Complexity;
  static constexpr auto fields =
      std::make_tuple(json::field("level", &T::level), json::field("score", &T::score));
};

template <>
struct opsgraph::json::Schema<opsgraph::router::Route> {
  using T = opsgraph::router::Route;
  static constexpr auto fields = std::make_tuple(
      json::field("category", &T::category), json::field("required_agents", &T::required_agents),
      json::field("complexity", &T::complexity),
      json::field("requires_approval", &T::requires_approval));
};

template <>
struct opsgraph::json::Schema<opsgraph::router::Floor> {
  using T = opsgraph::router::Floor;
  static constexpr auto fields =
      std::make_tuple(json::field("risk", &T::risk), json::field("score", &T::score),
                      json::field("requires_approval", &T::requires_approval));
};

template <>
struct opsgraph::json::Schema<opsgraph::router::RouteDecision> {
  using T = opsgraph::router::RouteDecision;
  static constexpr auto fields =
      std::make_tuple(json::field("task_type", &T::task_type), json::field("risk", &T::risk),
                      json::field("route", &T::route), json::field("floor", &T::floor),
                      json::optional_field("language", &T::language),
                      json::optional_field("exclusions", &T::exclusions),
                      json::optional_field("normalization", &T::normalization),
                      json::optional_field("injection_suspected", &T::injection_suspected));
};
