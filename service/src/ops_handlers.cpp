// /healthz, /readyz, /metrics and /openapi.json: what load balancers, Prometheus and API tools
// read. None needs a key.

#include <opsgraph/coordinator/task_status.hpp>
#include <opsgraph/core/json.hpp>
#include <opsgraph/core/json_schema.hpp>

#include "embedded.hpp"
#include "problem.hpp"
#include "service_core.hpp"

namespace opsgraph::service {

Task<http::Response> health(Call&) {
  co_return json_response(200, R"({"status":"ok"})");
}

// Ready while not shutting down and the store answers a cheap read.
Task<http::Response> readiness(Call& call) {
  if (call.core.stopping)
    co_return problem(503, "the service is shutting down");
  engine::TaskQuery probe;
  probe.limit = 1;
  auto read = call.core.engine->list_async(std::move(probe));
  auto listed = co_await std::move(read);
  if (!listed) {
    co_return problem(503, "the task store does not answer: " + listed.error().message);
  }
  co_return json_response(200, R"({"status":"ready"})");
}

namespace {

// Tasks per status and the queue depth, across every process on the store, read at scrape time.
Task<void> update_task_gauges(ServiceCore& core) {
  auto read = core.engine->count_tasks_async();
  auto counts = co_await std::move(read);
  if (!counts)
    co_return;  // the store is down: /readyz says so; the last values stay
  for (const auto& entry : json::Schema<coordinator::TaskStatus>::names) {
    const std::string status(entry.name);
    auto gauge = core.metrics->gauge("opsgraph_tasks", "Tasks in the store, by status.",
                                     {{"status", status}});
    const auto found = counts.value().by_status.find(status);
    if (gauge)
      gauge.value()->set(
          found == counts.value().by_status.end() ? 0.0 : static_cast<double>(found->second));
  }
  if (auto queued = core.metrics->gauge("opsgraph_task_queue_depth",
                                        "Runnable tasks no worker holds yet (waiting to be run)."))
    queued.value()->set(static_cast<double>(counts.value().queued_unclaimed));
}

}  // namespace

Task<http::Response> metrics_text(Call& call) {
  auto& core = call.core;
  auto gauges = update_task_gauges(core);
  co_await std::move(gauges);
  if (auto running =
          core.metrics->gauge("opsgraph_tasks_running", "Tasks this process is running right now."))
    running.value()->set(static_cast<double>(core.engine->running_tasks()));
  if (const auto* server = core.server.load()) {
    if (auto open = core.metrics->gauge("opsgraph_http_open_connections",
                                        "HTTP connections open right now."))
      open.value()->set(static_cast<double>(server->open_connections()));
  }
  co_return http::Response{
      200, "text/plain; version=0.0.4; charset=utf-8", {}, core.metrics->render_prometheus()};
}

Task<http::Response> openapi_document(Call&) {
  co_return json_response(200, std::string(embedded::openapi_document()));
}

}  // namespace opsgraph::service
