#pragma once
// opsgraph::coordinator::Approval — one human decision at a gate: which gate, approve or reject,
// who, when, and the hash of the artefact decided on, so what runs afterwards is exactly what was
// approved. Plain values with JSON codecs.

#include <opsgraph/coordinator/task_status.hpp>
#include <opsgraph/core/clock.hpp>
#include <opsgraph/core/json_codec.hpp>
#include <string>

namespace opsgraph::coordinator {

enum class Decision { approved, rejected };

struct Approval {
  /// Stage::plan_review or Stage::script_review.
  Stage gate = Stage::plan_review;
  Decision decision = Decision::approved;
  std::string actor;
  TimePoint at{};
  /// The hash of the plan or script decided on.
  std::string hash;
  /// The approver's comment, or the reason of a rejection.
  std::string comment;
  friend bool operator==(const Approval&, const Approval&) = default;
};

}  // namespace opsgraph::coordinator

template <>
struct opsgraph::json::Schema<opsgraph::coordinator::Decision> {
  using D = opsgraph::coordinator::Decision;
  static constexpr auto names =
      json::enum_names<D>({{D::approved, "approved"}, {D::rejected, "rejected"}});
};

template <>
struct opsgraph::json::Schema<opsgraph::coordinator::Approval> {
  using T = opsgraph::coordinator::Approval;
  static constexpr auto fields =
      std::make_tuple(json::field("gate", &T::gate), json::field("decision", &T::decision),
                      json::field("actor", &T::actor), json::field("at", &T::at),
                      json::field("hash", &T::hash), json::optional_field("comment", &T::comment));
};
