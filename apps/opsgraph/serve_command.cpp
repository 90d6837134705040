#include "serve_command.hpp"

#include <cstring>
#include <iostream>
#include <memory>
#include <opsgraph/core/log.hpp>
#include <opsgraph/core/metrics.hpp>
#include <opsgraph/engine/config.hpp>
#include <opsgraph/engine/engine.hpp>
#include <opsgraph/service/service.hpp>
#include <opsgraph/service/service_config.hpp>

#include "engine_setup.hpp"
#include "output.hpp"
#include "signal_watcher.hpp"

namespace opsgraph::cli {
namespace {

struct Configs {
  engine::EngineConfig engine;
  service::ServiceConfig server;
};

// The config file, then the environment, then the command line.
result<Configs> configs_from(const ServeArguments& args, const engine::Environment& env) {
  OPSGRAPH_TRY(auto engine_config, load_engine_config(args.config, env));
  engine_config = with_store_flag(std::move(engine_config), args.store);
  if (!args.llm_url.empty())
    engine_config.provider.base_url = args.llm_url;
  if (!args.model.empty())
    engine_config.provider.model = args.model;
  OPSGRAPH_TRY(engine::validate(engine_config));
  OPSGRAPH_TRY(auto server, service::service_config_from(engine_config, env));
  if (!args.host.empty())
    server.host = args.host;
  if (args.port >= 0)
    server.port = args.port;
  if (!args.access_log.empty())
    server.access_log = args.access_log;
  OPSGRAPH_TRY(service::validate(server));
  return Configs{std::move(engine_config), std::move(server)};
}

// Says how to get in when the store has no key yet (a fresh install).
void hint_when_keyless(store::KeyStore& keys, std::string_view program) {
  auto listed = keys.list_keys();
  if (listed && listed.value().empty()) {
    std::cout << program
              << ": no API keys yet; make one with `opsgraph keys create --name admin --role "
                 "admin` on the same store"
              << std::endl;
  }
}

}  // namespace

ExitCode run_serve(const ServeArguments& args, std::string_view program) {
  // Before any thread exists: every thread the engine starts inherits the blocked signals.
  SignalWatcher signals{std::string(program)};
  const auto command = std::string(program);
  const engine::Environment env = engine::process_environment();
  auto configs = configs_from(args, env);
  if (!configs)
    return report_error(command, configs.error(), false);
  auto& [engine_config, server_config] = configs.value();
  if (!args.no_worker) {
    if (auto llm = require_llm(engine_config.provider, env); !llm)
      return report_error(command, llm.error(), false);
  }
  auto level = parse_log_level(args.log_level);
  if (!level)
    return report_error(command, level.error(), false);
  auto options = engine::options_from(engine_config, env);
  if (!options)
    return report_error(command, options.error(), false);
  auto metrics = std::make_shared<MetricsRegistry>();
  options.value().run_tasks = !args.no_worker;
  options.value().logger = Logger::to_stderr(level.value());
  options.value().metrics = metrics;
  auto keys = std::dynamic_pointer_cast<store::KeyStore>(options.value().store);
  if (!keys) {
    return report_error(command, make_error(errc::invalid_argument, "the store keeps no API keys"),
                        false);
  }
  auto created = engine::Engine::create(std::move(options).value());
  if (!created)
    return report_error(command, created.error(), false);
  std::shared_ptr<engine::Engine> engine = std::move(created).value();
  const auto grace = std::chrono::milliseconds{server_config.shutdown_grace_ms};
  const auto host = server_config.host;
  auto started = service::Service::start(std::move(server_config), engine, keys, metrics);
  if (!started)
    return report_error(command, started.error(), false);
  auto& service = *started.value();
  std::cout << program << ": serving http://" << host << ":" << service.port() << " on "
            << (engine_config.store.kind == "postgres" ? "postgres" : engine_config.store.kind)
            << (args.no_worker ? ", API only (workers run the tasks)" : ", running tasks")
            << std::endl;
  hint_when_keyless(*keys, program);

  const int signal = signals.wait();
  std::cout << program << ": " << ::strsignal(signal)
            << ", stopping: finishing requests in flight (a second signal exits now)" << std::endl;
  service.stop(grace);
  started.value().reset();
  engine.reset();
  std::cout << program << ": stopped" << std::endl;
  return kSuccess;
}

void add_serve_options(CLI::App& command, ServeArguments& args) {
  add_config_option(command, args.config);
  add_store_option(command, args.store, /*sqlite_by_default=*/true);
  add_llm_options(command, args.llm_url, args.model);
  command.add_option("--host", args.host,
                     "Address to listen on (default 127.0.0.1; put a TLS proxy in front of "
                     "anything else)");
  command.add_option("--port", args.port, "Port to listen on (default 8080; 0 picks a free one)")
      ->check(CLI::Range(std::int64_t{0}, std::int64_t{65535}));
  command.add_flag("--no-worker", args.no_worker,
                   "Serve the API only; `opsgraph worker` processes on the same store run tasks");
  command.add_option("--access-log", args.access_log,
                     "JSON-lines access log: a file, or - for standard output");
  command.add_option("--log-level", args.log_level, "Engine log level on stderr")
      ->capture_default_str()
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));
}

void add_serve_command(CLI::App& app, ExitCode& exit_code) {
  auto args = std::make_shared<ServeArguments>();
  CLI::App* command = app.add_subcommand(
      "serve",
      "Serve the HTTP API (docs/http-api.md) until SIGINT or SIGTERM. The first signal stops "
      "accepting and lets requests in flight finish; running tasks resume from their last "
      "checkpoint under the next engine. A second signal exits at once.\n"
      "Exit codes: 0 stopped by a signal, 2 usage, 3 error (no LLM, bad config, port taken).");
  add_serve_options(*command, *args);
  command->callback([args, &exit_code] { exit_code = run_serve(*args, "opsgraph serve"); });
}

}  // namespace opsgraph::cli
