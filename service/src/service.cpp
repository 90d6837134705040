#include <exception>
#include <opsgraph/service/service.hpp>

#include "problem.hpp"
#include "service_core.hpp"

namespace opsgraph::service {
namespace {

using SteadyClock = std::chrono::steady_clock;

http::ServerOptions server_options(const ServiceConfig& config) {
  http::ServerOptions options;
  options.host = config.host;
  options.port = static_cast<std::uint16_t>(config.port);
  options.server_name = "opsgraphd";
  options.max_header_bytes = static_cast<std::size_t>(config.max_header_bytes);
  options.max_body_bytes = static_cast<std::size_t>(config.max_body_bytes);
  options.read_timeout = std::chrono::milliseconds{config.read_timeout_ms};
  options.idle_timeout = std::chrono::milliseconds{config.idle_timeout_ms};
  options.write_timeout = std::chrono::milliseconds{config.write_timeout_ms};
  options.max_connections = static_cast<std::size_t>(config.max_connections);
  return options;
}

// Checks the caller's key, role and rate; an answer when the call may not go on.
Task<std::optional<http::Response>> admit(Call& call, const Route& route) {
  if (route.permission == Permission::open)
    co_return std::nullopt;
  auto check = call.core.auth.authenticate(call.request);
  auto principal = co_await std::move(check);
  if (!principal)
    co_return problem(principal.error());
  call.caller = std::move(principal).value();
  if (!allows(call.caller->role, route.permission)) {
    co_return problem(make_error(errc::permission_denied,
                                 "the key's role (" + std::string(role_name(call.caller->role)) +
                                     ") may not " + std::string(route.method) + " " +
                                     std::string(route.pattern) + "; it needs " +
                                     std::string(role_name(least_role_for(route.permission)))));
  }
  const auto verdict = call.core.limiter.take(call.caller->key_id, SteadyClock::now());
  if (!verdict.allowed) {
    co_return problem(
        make_error(errc::rate_limited, "this key's request rate is over its limit; retry later",
                   json::Object{{"retry_after_seconds", verdict.retry_after_seconds}}));
  }
  co_return std::nullopt;
}

Task<http::Response> dispatch(Call& call, RouteId route) {
  switch (route) {
    case RouteId::execute:
      return execute_task(call);
    case RouteId::approve:
      return approve_task(call);
    case RouteId::reject:
      return reject_task(call);
    case RouteId::get_task:
      return get_task(call);
    case RouteId::list_tasks:
      return list_tasks(call);
    case RouteId::cancel_task:
      return cancel_task(call);
    case RouteId::retry_task:
      return retry_task(call);
    case RouteId::create_key:
      return create_key(call);
    case RouteId::list_keys:
      return list_keys(call);
    case RouteId::revoke_key:
      return revoke_key(call);
    case RouteId::healthz:
      return health(call);
    case RouteId::readyz:
      return readiness(call);
    case RouteId::metrics:
      return metrics_text(call);
    case RouteId::openapi:
    case RouteId::task_events:
      break;
  }
  return openapi_document(call);
}

// The answer to a matched, admitted call; nullopt when the handler answered itself (a stream).
Task<std::optional<http::Response>> answer(Call& call, const Route& route) {
  if (route.id == RouteId::task_events) {
    auto stream = stream_task_events(call);
    auto streamed = co_await std::move(stream);
    co_return streamed;
  }
  auto handle = dispatch(call, route.id);
  auto response = co_await std::move(handle);
  co_return response;
}

Task<void> serve(std::weak_ptr<ServiceCore> weak_core, http::Exchange& exchange) {
  // The Service owns the core: a request arriving while it is destroyed goes unanswered (the
  // server closes the connection), and nothing here keeps the engine alive past the Service.
  auto core = weak_core.lock();
  if (!core)
    co_return;
  const auto started = SteadyClock::now();
  const auto& request = exchange.request();
  auto match = match_route(request.method(), request.path());
  Call call{*core, exchange, request, std::string(match.id), std::nullopt};
  std::optional<http::Response> response;
  if (match.route == nullptr && match.allowed.empty()) {
    response = problem(404, "no such path: " + std::string(request.path()));
  } else if (match.route == nullptr) {
    response =
        problem(405, std::string(request.method()) + " is not allowed here; use " + match.allowed);
    response->headers.emplace_back("Allow", match.allowed);
  } else {
    auto check = admit(call, *match.route);
    response = co_await std::move(check);
    if (!response) {
      auto handle = answer(call, *match.route);
      response = co_await std::move(handle);
    }
  }
  const int status = response ? response->status : 200;
  const auto bytes = response ? response->body.size() : 0;
  if (response) {
    auto send = exchange.respond(std::move(*response));
    co_await std::move(send);
  }
  const double seconds = std::chrono::duration<double>(SteadyClock::now() - started).count();
  core->http_metrics.observe(match.route, request.method(), status, seconds);
  if (core->access_log) {
    core->access_log->write({request.remote_address(), request.header("x-forwarded-for"),
                             request.method(), request.path(),
                             match.route ? match.route->pattern : std::string_view(), status,
                             seconds, bytes, call.caller ? call.caller->key_id : std::string()});
  }
}

}  // namespace

struct Service::Impl {
  std::shared_ptr<ServiceCore> core;
  std::unique_ptr<http::Server> server;
};

result<std::unique_ptr<Service>> Service::start(ServiceConfig config,
                                                std::shared_ptr<engine::Engine> engine,
                                                std::shared_ptr<store::KeyStore> keys,
                                                std::shared_ptr<MetricsRegistry> metrics) {
  OPSGRAPH_TRY(validate(config));
  if (!engine || !keys)
    return fail(errc::invalid_argument, "service: an engine and a key store are required");
  if (!metrics)
    metrics = std::make_shared<MetricsRegistry>();
  std::unique_ptr<AccessLog> access_log;
  if (!config.access_log.empty()) {
    OPSGRAPH_TRY(auto proxies, TrustedProxies::parse(config.trusted_proxies));
    OPSGRAPH_TRY(access_log, AccessLog::open(config.access_log, std::move(proxies)));
  }
  const auto options = server_options(config);
  auto core =
      std::make_shared<ServiceCore>(std::move(config), engine, std::move(keys), std::move(metrics));
  core->access_log = std::move(access_log);
  auto handler = [weak = std::weak_ptr<ServiceCore>(core)](http::Exchange& exchange) {
    return serve(weak, exchange);
  };
  OPSGRAPH_TRY(auto server, http::Server::start(options, engine->executor(), std::move(handler)));
  core->server = server.get();
  auto impl = std::make_unique<Impl>();
  impl->core = std::move(core);
  impl->server = std::move(server);
  return std::unique_ptr<Service>(new Service(std::move(impl)));
}

Service::Service(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Service::~Service() {
  stop(std::chrono::milliseconds{0});
  impl_->core->server = nullptr;
  // The server first: once it is gone no handler runs, and the core (with its engine) goes here,
  // on the caller's thread, never on one of the engine's own.
  impl_->server.reset();
  impl_->core.reset();
}

std::uint16_t Service::port() const noexcept {
  return impl_->server->port();
}

void Service::stop(std::chrono::milliseconds grace) {
  impl_->core->stopping = true;
  impl_->server->stop(grace);
}

}  // namespace opsgraph::service
