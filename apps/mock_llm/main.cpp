// opsgraph-mock-llm: the mock OpenAI-compatible LLM server as a program, for the demo, scripts and
// manual testing. Serves on 127.0.0.1 until SIGINT or SIGTERM, then stops cleanly (exit 0).

#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <iostream>
#include <opsgraph/mock/llm_server.hpp>

namespace {

namespace asio = boost::asio;
using opsgraph::mock::MockLlmServer;
using opsgraph::mock::ServerOptions;

constexpr int kExitUsage = 2;
constexpr int kExitStartFailed = 1;

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"opsgraph-mock-llm: an OpenAI-compatible chat-completions server on 127.0.0.1"};
  ServerOptions options;
  std::string rules_file;
  bool print_port = false;
  app.add_option("--port", options.port, "Port to listen on; 0 picks a free one")
      ->capture_default_str();
  app.add_option("--rules", rules_file, "JSON rules file (scripted answers and faults)")
      ->check(CLI::ExistingFile);
  app.add_option("--tls-cert", options.cert_file, "PEM certificate chain: serve HTTPS")
      ->check(CLI::ExistingFile);
  app.add_option("--tls-key", options.key_file, "PEM private key of --tls-cert")
      ->check(CLI::ExistingFile);
  app.add_option("--threads", options.io_threads, "I/O threads")
      ->capture_default_str()
      ->check(CLI::Range(1, 256));
  app.add_option("--seed", options.seed, "Seed of random latencies")->capture_default_str();
  app.add_option("--default-model", options.default_model, "Model always listed by /v1/models")
      ->capture_default_str();
  app.add_flag("--print-port", print_port,
               "Print the bound port alone as the first line of stdout (for scripts using port 0)");
  CLI11_PARSE(app, argc, argv);

  std::vector<opsgraph::mock::Rule> rules;
  if (!rules_file.empty()) {
    auto loaded = opsgraph::mock::load_rules_file(rules_file);
    if (!loaded) {
      std::cerr << "opsgraph-mock-llm: " << loaded.error().message << "\n";
      return kExitUsage;
    }
    rules = std::move(loaded.value());
  }

  // Installed before the server starts, so a signal sent as soon as the port is printed is seen.
  asio::io_context signal_io;
  asio::signal_set signals(signal_io, SIGINT, SIGTERM);
  signals.async_wait([](const boost::system::error_code&, int) {});

  auto started = MockLlmServer::start(options);
  if (!started) {
    std::cerr << "opsgraph-mock-llm: " << started.error().message << "\n";
    return kExitStartFailed;
  }
  auto& server = *started.value();
  if (auto added = server.add_rules(std::move(rules)); !added) {
    std::cerr << "opsgraph-mock-llm: " << added.error().message << "\n";
    return kExitUsage;
  }
  if (print_port)
    std::cout << server.port() << std::endl;
  else
    std::cout << "opsgraph-mock-llm listening on " << server.base_url() << std::endl;

  signal_io.run();
  server.stop();
  return 0;
}
