#include "worker_command.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstring>
#include <iostream>
#include <memory>
#include <opsgraph/core/log.hpp>
#include <opsgraph/engine/config.hpp>
#include <opsgraph/engine/engine.hpp>
#include <optional>
#include <random>
#include <string>
#include <utility>

#include "engine_setup.hpp"
#include "output.hpp"
#include "signal_watcher.hpp"

namespace opsgraph::cli {
namespace {

constexpr std::string_view kCommand = "worker";

struct WorkerArguments {
  std::string config = "";
  std::string store = "";
  std::string llm_url = "";
  std::string model = "";
  std::string log_level = "warn";
  std::string worker_id = "";
  // 0: the config's value.
  std::int64_t max_tasks = 0;
  std::int64_t lease_ttl_ms = 0;
  std::int64_t poll_ms = 0;
};

// host:pid:random, like the engine's own default, but known here so the start line can show it.
std::string default_worker_id() {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0)
    host[0] = '\0';
  std::random_device random;
  return std::string(host[0] ? host : "localhost") + ":" + std::to_string(::getpid()) + ":" +
         std::to_string(random() % 1'000'000);
}

// The config file (--config or OPSGRAPH_CONFIG), then the environment, then the command line.
result<engine::EngineConfig> config_from(const WorkerArguments& args,
                                         const engine::Environment& env) {
  OPSGRAPH_TRY(auto config, load_engine_config(args.config, env));
  config = with_store_flag(std::move(config), args.store);
  if (!args.llm_url.empty())
    config.provider.base_url = args.llm_url;
  if (!args.model.empty())
    config.provider.model = args.model;
  if (args.max_tasks > 0)
    config.limits.max_running_tasks = args.max_tasks;
  if (args.lease_ttl_ms > 0)
    config.limits.lease_ttl_ms = args.lease_ttl_ms;
  if (args.poll_ms > 0)
    config.limits.poll_interval_ms = args.poll_ms;
  if (config.store.kind == "memory") {
    return fail(errc::invalid_argument,
                "a worker on a memory store would run nothing: no other process can queue tasks "
                "in it. Use a PostgreSQL URL or a SQLite file (--store, OPSGRAPH_STORE or "
                "store in --config)");
  }
  OPSGRAPH_TRY(engine::validate(config));
  return config;
}

std::string store_words(const engine::StoreConfig& store) {
  if (store.kind == "postgres")
    return "postgres, schema " + store.schema;
  return store.kind + " " + store.path;
}

ExitCode run_worker(const WorkerArguments& args) {
  // Before any thread exists: every thread the engine starts inherits the blocked signals.
  SignalWatcher signals("opsgraph worker");

  const engine::Environment env = engine::process_environment();
  auto config = config_from(args, env);
  if (!config)
    return report_error(kCommand, config.error(), false);
  if (auto llm = require_llm(config.value().provider, env); !llm)
    return report_error(kCommand, llm.error(), false);
  auto level = parse_log_level(args.log_level);
  if (!level)
    return report_error(kCommand, level.error(), false);
  auto options = engine::options_from(config.value(), env);
  if (!options)
    return report_error(kCommand, options.error(), false);
  options.value().run_tasks = true;
  options.value().worker_id = args.worker_id.empty() ? default_worker_id() : args.worker_id;
  options.value().logger = Logger::to_stderr(level.value());
  const std::string worker_id = options.value().worker_id;
  const std::size_t max_tasks = options.value().max_running_tasks;

  auto engine = engine::Engine::create(std::move(options).value());
  if (!engine)
    return report_error(kCommand, engine.error(), false);
  std::cout << "opsgraph worker " << worker_id << ": started on "
            << store_words(config.value().store) << ", up to " << max_tasks
            << " tasks at once, lease " << config.value().limits.lease_ttl_ms << " ms" << std::endl;

  const int signal = signals.wait();
  const std::size_t in_flight = engine.value()->running_tasks();
  std::cout << "opsgraph worker " << worker_id << ": " << ::strsignal(signal)
            << ", stopping; releasing " << in_flight
            << " running tasks to the next worker (a second signal exits now)" << std::endl;
  engine.value().reset();
  std::cout << "opsgraph worker " << worker_id << ": stopped" << std::endl;
  return kSuccess;
}

}  // namespace

void add_worker_command(CLI::App& app, ExitCode& exit_code) {
  auto args = std::make_shared<WorkerArguments>();
  CLI::App* command = app.add_subcommand(
      std::string(kCommand),
      "Run the tasks of a shared store until SIGINT or SIGTERM: claim runnable tasks with a "
      "lease, run them, renew the lease while they run. The first signal stops claiming and "
      "releases running tasks to the next worker (they resume from their last checkpoint); a "
      "second exits at once.\n"
      "Exit codes: 0 stopped by a signal, 2 usage, 3 error (no LLM, bad config, store "
      "unreachable); 128+N after a second signal N.");
  add_config_option(*command, args->config);
  add_store_option(*command, args->store, /*sqlite_by_default=*/false);
  add_llm_options(*command, args->llm_url, args->model);
  command->add_option("--worker-id", args->worker_id,
                      "This worker's name in leases and logs (default host:pid:random)");
  command
      ->add_option("--max-tasks", args->max_tasks,
                   "Tasks run at once (default: limits.max_running_tasks, 1024)")
      ->check(CLI::PositiveNumber);
  command
      ->add_option("--lease-ttl-ms", args->lease_ttl_ms,
                   "Lease of a claimed task, renewed every third of it (default: "
                   "limits.lease_ttl_ms, 30000)")
      ->check(CLI::Range(std::int64_t{3}, std::int64_t{86'400'000}));
  command
      ->add_option("--poll-ms", args->poll_ms,
                   "How often the store is polled for work (default: "
                   "limits.poll_interval_ms, 1000)")
      ->check(CLI::PositiveNumber);
  command->add_option("--log-level", args->log_level, "Engine log level on stderr")
      ->capture_default_str()
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));
  command->callback([args, &exit_code] { exit_code = run_worker(*args); });
}

}  // namespace opsgraph::cli
