// POST /api/v1/plans/{id}/approve and /reject: a human's decision at the gate a task waits at.

#include <opsgraph/coordinator/task_snapshot.hpp>
#include <opsgraph/core/json_codec.hpp>

#include "problem.hpp"
#include "request_body.hpp"
#include "service_core.hpp"

namespace opsgraph::service {

struct ApproveBody {
  std::optional<std::string> plan_hash;
  std::optional<std::string> script_hash;
  std::string comment;
};

struct RejectBody {
  std::string reason;
};

}  // namespace opsgraph::service

template <>
struct opsgraph::json::Schema<opsgraph::service::ApproveBody> {
  using T = opsgraph::service::ApproveBody;
  static constexpr bool allow_unknown = false;
  static constexpr auto fields =
      std::make_tuple(json::optional_field("plan_hash", &T::plan_hash),
                      json::optional_field("script_hash", &T::script_hash),
                      json::optional_field("comment", &T::comment));
};

template <>
struct opsgraph::json::Schema<opsgraph::service::RejectBody> {
  using T = opsgraph::service::RejectBody;
  static constexpr bool allow_unknown = false;
  static constexpr auto fields = std::make_tuple(json::optional_field("reason", &T::reason));
};

namespace opsgraph::service {
namespace {

using coordinator::Stage;
using coordinator::TaskSnapshot;

// The hash an approval names: the script's at script_review (required there), else the plan's.
result<std::string> approved_hash(const TaskSnapshot& task, const ApproveBody& body) {
  if (task.stage == Stage::script_review) {
    if (!body.script_hash || body.script_hash->empty()) {
      return fail(errc::invalid_argument,
                  "script_hash: required at script_review (the script's hash, as GET "
                  "/api/v1/tasks/" +
                      task.task_id + " shows it)",
                  json::Object{{"path", "script_hash"}});
    }
    return *body.script_hash;
  }
  if (task.stage == Stage::plan_review)
    return body.plan_hash.value_or("");
  // Not waiting: the engine tells a repeated decision from a wrong state by the hash named.
  return body.script_hash ? *body.script_hash : body.plan_hash.value_or("");
}

}  // namespace

Task<http::Response> approve_task(Call& call) {
  auto body = read_body<ApproveBody>(call.request, /*body_required=*/false);
  if (!body)
    co_return problem(body.error());
  auto& engine = *call.core.engine;
  auto looked = engine.status_async(call.id);
  auto before = co_await std::move(looked);
  if (!before)
    co_return problem(before.error());
  if (!call.core.config.allow_self_approval && before.value().requester == call.actor()) {
    co_return problem(
        make_error(errc::permission_denied,
                   "a task cannot be approved with the key that submitted it (the server's "
                   "allow_self_approval setting permits it)"));
  }
  auto hash = approved_hash(before.value(), body.value());
  if (!hash)
    co_return problem(hash.error());
  engine::ApproveRequest request;
  request.actor = call.actor();
  request.comment = std::move(body.value().comment);
  request.hash = std::move(hash).value();
  auto decide = engine.approve_async(call.id, std::move(request));
  auto after = co_await std::move(decide);
  if (!after)
    co_return problem(after.error());
  // 202: the task goes on asynchronously; 200: this decision had been made already.
  const bool decided_now = after.value().approvals.size() > before.value().approvals.size();
  co_return json_response(decided_now ? 202 : 200, json::encode(after.value()));
}

Task<http::Response> reject_task(Call& call) {
  auto body = read_body<RejectBody>(call.request, /*body_required=*/false);
  if (!body)
    co_return problem(body.error());
  engine::RejectRequest request;
  request.actor = call.actor();
  request.reason = std::move(body.value().reason);
  auto decide = call.core.engine->reject_async(call.id, std::move(request));
  auto task = co_await std::move(decide);
  if (!task)
    co_return problem(task.error());
  co_return json_response(200, json::encode(task.value()));
}

}  // namespace opsgraph::service
