// A second process for the crash tests: runs an Engine on the given SQLite file against the given
// LLM server, submits one request, prints the task id and then waits to be killed.
//
//   opsgraph_engine_child DB_PATH LLM_BASE_URL REQUEST

#include <chrono>
#include <iostream>
#include <opsgraph/engine/engine.hpp>
#include <opsgraph/llm/openai.hpp>
#include <opsgraph/store/sqlite_store.hpp>
#include <thread>

int main(int argc, char** argv) {
  using namespace opsgraph;
  if (argc != 4) {
    std::cerr << "usage: opsgraph_engine_child DB_PATH LLM_BASE_URL REQUEST\n";
    return 2;
  }
  auto store = store::SqliteStore::open(argv[1]);
  if (!store) {
    std::cerr << store.error().message << '\n';
    return 1;
  }
  std::shared_ptr<store::SqliteStore> shared = std::move(store).value();
  engine::EngineOptions options;
  options.store = shared;
  options.checkpointer = shared;
  llm::OpenAIConfig config;
  config.base_url = argv[2];
  config.api_key = "sk-test-child";
  config.logger = Logger::null();
  options.provider_factory = [config](const engine::ProviderContext& context) {
    return llm::make_openai_provider(context.executor, config);
  };
  // A short lease, so that the process taking over after a kill does not wait long.
  options.lease_ttl = std::chrono::seconds{1};
  options.poll_interval = std::chrono::milliseconds{50};
  options.logger = Logger::null();
  auto made = engine::Engine::create(std::move(options));
  if (!made) {
    std::cerr << made.error().message << '\n';
    return 1;
  }
  engine::ExecuteRequest request;
  request.request = argv[3];
  auto task = made.value()->execute(request);
  if (!task) {
    std::cerr << task.error().message << '\n';
    return 1;
  }
  std::cout << task.value().task_id << std::endl;
  for (;;)
    std::this_thread::sleep_for(std::chrono::hours{1});
}
