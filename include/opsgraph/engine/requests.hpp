#pragma once
// What callers hand the Engine: a new request, a decision at a gate, a listing query, and what a
// wait waits for. Plain values with every member defaulted.

#include <cstddef>
#include <opsgraph/coordinator/task_snapshot.hpp>
#include <opsgraph/coordinator/task_status.hpp>
#include <opsgraph/core/json_codec.hpp>
#include <opsgraph/core/json_value.hpp>
#include <opsgraph/safety/language.hpp>
#include <optional>
#include <string>
#include <vector>

namespace opsgraph::engine {

/// The longest request text, and the context limits, as the HTTP API fixes them.
inline constexpr std::size_t kMaxRequestBytes = std::size_t{16} << 10;
inline constexpr std::size_t kMaxContextKeys = 32;
inline constexpr std::size_t kMaxContextBytes = std::size_t{4} << 10;

struct ExecuteRequest {
  /// The free-text IT request, 1 byte to kMaxRequestBytes of UTF-8.
  std::string request;
  /// true adds an approval; false never removes one the policy requires.
  std::optional<bool> require_approval = std::nullopt;
  /// Null, or an object of at most kMaxContextKeys string keys with string, number or boolean
  /// values, at most kMaxContextBytes as JSON; its texts UTF-8.
  json::Value context = json::Value();
  /// The script language wanted, overriding one named in the text.
  std::optional<safety::Language> language = std::nullopt;
  /// Who asks (an API key's name, a user), in UTF-8; recorded and filterable.
  std::string requester = "anonymous";
  /// Executing again with a known key (UTF-8) returns the task created the first time.
  std::string idempotency_key = "";
};

struct ApproveRequest {
  std::string actor = "anonymous";
  std::string comment = "";
  /// The hash of what is approved. Optional at plan_review (the current plan is meant), required
  /// at script_review; a hash that is not the current artefact's is refused (errc::conflict).
  std::string hash = "";
};

struct RejectRequest {
  std::string actor = "anonymous";
  std::string reason = "";
};

struct TaskQuery {
  /// Any of these statuses; empty for all.
  std::vector<coordinator::TaskStatus> statuses = {};
  std::optional<std::string> requester = std::nullopt;
  /// 1..1000.
  std::size_t limit = 50;
  /// Empty for the first page, else TaskPage::next_cursor.
  std::string cursor = "";
};

struct TaskPage {
  /// Newest first.
  std::vector<coordinator::TaskSnapshot> tasks;
  std::optional<std::string> next_cursor;
};

/// What Engine::wait waits for.
enum class WaitFor {
  /// The plan exists, or the task settled first (a failure before planning).
  plan,
  /// A human is asked (waiting_approval with the run parked) or the status is final.
  settled,
  /// completed, failed, rejected or cancelled.
  final,
};

}  // namespace opsgraph::engine

/// {"tasks": [...], "next_cursor": "..." | null}: one page as the CLI and the HTTP API print it.
template <>
struct opsgraph::json::Schema<opsgraph::engine::TaskPage> {
  using T = opsgraph::engine::TaskPage;
  static constexpr auto fields =
      std::make_tuple(json::field("tasks", &T::tasks), json::field("next_cursor", &T::next_cursor));
};
