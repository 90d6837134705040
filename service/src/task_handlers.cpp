// POST /api/v1/execute, GET /api/v1/tasks[/{id}], POST /api/v1/tasks/{id}/cancel|retry.

#include <charconv>
#include <opsgraph/coordinator/task_snapshot.hpp>
#include <opsgraph/core/json_codec.hpp>

#include "problem.hpp"
#include "request_body.hpp"
#include "service_core.hpp"

namespace opsgraph::service {

struct ExecuteBody {
  std::string request;
  std::optional<bool> require_approval;
  json::Value context;
  std::optional<safety::Language> language;
};

}  // namespace opsgraph::service

template <>
struct opsgraph::json::Schema<opsgraph::service::ExecuteBody> {
  using T = opsgraph::service::ExecuteBody;
  static constexpr bool allow_unknown = false;
  static constexpr auto fields = std::make_tuple(
      json::field("request", &T::request),
      json::optional_field("require_approval", &T::require_approval),
      json::optional_field("context", &T::context), json::optional_field("language", &T::language));
};

namespace opsgraph::service {
namespace {

using coordinator::TaskSnapshot;

// The most events GET /api/v1/tasks/{id} puts in its timeline; the event stream has them all.
constexpr std::size_t kTimelineEvents = 1000;

http::Response task_response(int status, const TaskSnapshot& task) {
  auto response = json_response(status, json::encode(task));
  response.headers.emplace_back("Location", "/api/v1/tasks/" + task.task_id);
  return response;
}

// How long an execute waits, and for what: ?wait=0 not at all, ?wait=SECONDS for the final
// state (up to max_wait_ms), no parameter for the plan (up to plan_wait_ms).
struct ExecuteWait {
  engine::WaitFor what = engine::WaitFor::plan;
  std::chrono::milliseconds timeout{0};
};

result<ExecuteWait> execute_wait(const ServiceConfig& config, std::string_view query) {
  OPSGRAPH_TRY(auto parameters, http::parse_query(query));
  ExecuteWait wait{engine::WaitFor::plan, std::chrono::milliseconds{config.plan_wait_ms}};
  for (const auto& [name, value] : parameters) {
    if (name != "wait")
      continue;
    double seconds = -1;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (ec != std::errc() || end != value.data() + value.size() || !(seconds >= 0)) {
      return fail(errc::invalid_argument,
                  "wait: expected a number of seconds, got \"" + value + "\"",
                  json::Object{{"path", "query.wait"}});
    }
    const auto asked = std::chrono::milliseconds{static_cast<std::int64_t>(seconds * 1000)};
    wait = {engine::WaitFor::final, std::min(asked, std::chrono::milliseconds{config.max_wait_ms})};
  }
  return wait;
}

result<engine::TaskQuery> list_query(std::string_view query) {
  OPSGRAPH_TRY(auto parameters, http::parse_query(query));
  engine::TaskQuery out;
  for (const auto& [name, value] : parameters) {
    const auto where = json::Object{{"path", "query." + name}};
    if (name == "status") {
      // Repeated (?status=a&status=b) or comma-separated (?status=a,b).
      std::string_view rest = value;
      while (!rest.empty()) {
        const auto comma = std::min(rest.find(','), rest.size());
        auto status = json::from_value<coordinator::TaskStatus>(json::Value(rest.substr(0, comma)));
        if (!status)
          return fail(errc::invalid_argument, "status: " + status.error().message, where);
        out.statuses.push_back(status.value());
        rest.remove_prefix(std::min(comma + 1, rest.size()));
      }
    } else if (name == "limit") {
      std::size_t limit = 0;
      const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), limit);
      if (ec != std::errc() || end != value.data() + value.size())
        return fail(errc::invalid_argument, "limit: expected 1..1000, got \"" + value + "\"",
                    where);
      out.limit = limit;
    } else if (name == "cursor") {
      out.cursor = value;
    } else if (name == "requester") {
      out.requester = value;
    } else {
      return fail(errc::invalid_argument,
                  name + ": unknown parameter (status, limit, cursor and requester are known)",
                  where);
    }
  }
  return out;
}

// The snapshot's encoding with the timeline as its last member.
std::string with_timeline(const std::string& snapshot,
                          const std::vector<engine::TaskEvent>& events) {
  json::Array timeline;
  timeline.reserve(events.size());
  for (const auto& event : events)
    timeline.push_back(engine::event_json(event));
  const auto members = std::string_view(snapshot).substr(0, snapshot.size() - 1);
  return std::string(members) + ",\"timeline\":" + json::dump(json::Value(std::move(timeline))) +
         '}';
}

}  // namespace

http::Response json_response(int status, std::string body) {
  return {status, "application/json", {}, std::move(body)};
}

Task<http::Response> execute_task(Call& call) {
  auto body = read_body<ExecuteBody>(call.request, /*body_required=*/true);
  if (!body)
    co_return problem(body.error());
  auto wait = execute_wait(call.core.config, call.request.query());
  if (!wait)
    co_return problem(wait.error());
  engine::ExecuteRequest request;
  request.request = std::move(body.value().request);
  request.require_approval = body.value().require_approval;
  request.context = std::move(body.value().context);
  request.language = body.value().language;
  request.requester = call.actor();
  request.idempotency_key = std::string(call.request.header("idempotency-key").value_or(""));
  auto& engine = *call.core.engine;
  auto created = co_await engine.execute_async(std::move(request));
  if (!created)
    co_return problem(created.error());
  auto task = std::move(created).value();
  if (wait.value().timeout.count() > 0) {
    auto waited = co_await engine.wait_async(task.task_id, wait.value().what, wait.value().timeout);
    if (waited)
      task = std::move(waited).value();
  }
  co_return task_response(coordinator::is_final(task.status) ? 200 : 202, task);
}

Task<http::Response> get_task(Call& call) {
  // The record and its events in one trip to the store (one thread hop when it blocks).
  auto read =
      on_store(call.core, [engine = call.core.engine, id = call.id]() -> result<std::string> {
        OPSGRAPH_TRY(auto task, engine->status_json(id));
        OPSGRAPH_TRY(auto events, engine->events(id, 0, kTimelineEvents));
        return with_timeline(*task, events);
      });
  auto body = co_await std::move(read);
  if (!body)
    co_return problem(body.error());
  co_return json_response(200, std::move(body).value());
}

Task<http::Response> list_tasks(Call& call) {
  auto query = list_query(call.request.query());
  if (!query)
    co_return problem(query.error());
  auto page = co_await call.core.engine->list_async(std::move(query).value());
  if (!page)
    co_return problem(page.error());
  co_return json_response(200, json::encode(page.value()));
}

Task<http::Response> cancel_task(Call& call) {
  auto task = co_await call.core.engine->cancel_async(call.id, call.actor());
  if (!task)
    co_return problem(task.error());
  co_return task_response(200, task.value());
}

Task<http::Response> retry_task(Call& call) {
  auto task = co_await call.core.engine->retry_async(call.id, call.actor());
  if (!task)
    co_return problem(task.error());
  co_return task_response(202, task.value());
}

}  // namespace opsgraph::service
