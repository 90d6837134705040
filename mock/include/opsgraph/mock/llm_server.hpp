#pragma once
// opsgraph::mock::MockLlmServer — an OpenAI-compatible chat-completions server on 127.0.0.1 for
// tests, the demo and users without an API key: scripted rules, schema-valid default answers,
// streaming, injected faults (per rule or per request header), counters, optional TLS.
//
// Thread-safe: every member may be called from any thread. The server owns its io threads, or
// runs on a caller's executor that must outlive it. stop() (also run by the destructor) closes
// the listener and every connection and returns promptly, even with requests hanging.
//
// HTTP surface: POST /v1/chat/completions, GET /v1/models, GET /stats. Per request, the header
// `x-mock-fault: <fault>` (see parse_fault) overrides rules; `x-mock-fault-count: N` applies it
// only to the first N requests carrying that same header value (counted until reset_stats()).

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <opsgraph/core/json_value.hpp>
#include <opsgraph/core/result.hpp>
#include <opsgraph/core/task.hpp>
#include <opsgraph/mock/fault.hpp>
#include <opsgraph/mock/rules.hpp>
#include <string>
#include <vector>

namespace opsgraph::mock {

/// How a server starts. A plain aggregate: every member has a usable default.
struct ServerOptions {
  /// The address to bind; only "127.0.0.1" is accepted (the mock never listens beyond loopback).
  std::string host = "127.0.0.1";
  /// 0 picks a free ephemeral port (see MockLlmServer::port()).
  std::uint16_t port = 0;
  /// Threads of the server's own io_context; ignored when started on a caller's executor.
  std::size_t io_threads = 2;
  /// PEM certificate chain and private key; both set means HTTPS, both empty plain HTTP.
  std::string cert_file;
  std::string key_file;
  /// Seeds the generator of random latencies, so a run can be repeated.
  std::uint64_t seed = 0;
  /// Larger request bodies are refused with 413.
  std::size_t max_request_bytes = std::size_t{4} << 20;
  /// Always listed by GET /v1/models, before the models the rules name.
  std::string default_model = "mock-model";
  /// Retry-After of injected 429s whose fault does not set one.
  int retry_after_seconds = 1;
  /// Pause between streamed events (0: as fast as the socket takes them).
  std::chrono::milliseconds stream_event_interval{0};
};

/// What the server has seen since it started or since reset_stats().
struct Stats {
  std::uint64_t total_requests = 0;
  /// Requests per request-target path ("/v1/chat/completions", "/stats", ...).
  std::map<std::string, std::uint64_t> requests_by_path;
  /// Matched chat requests per rule name.
  std::map<std::string, std::uint64_t> requests_by_rule;
  /// Injected faults per fault name (to_string(FaultKind)), "latency" for pure delays.
  std::map<std::string, std::uint64_t> faults_injected;
  std::uint64_t open_connections = 0;
  /// Streamed answers the client went away from before the last event.
  std::uint64_t streams_aborted = 0;

  friend bool operator==(const Stats&, const Stats&) = default;
};

/// The JSON that GET /stats answers: {"total_requests", "requests_by_path", "requests_by_rule",
/// "faults_injected", "open_connections", "streams_aborted"}.
json::Value to_json(const Stats& stats);

class MockLlmServer {
 public:
  /// Binds, listens and starts serving on the server's own io threads. invalid_argument for a
  /// host other than 127.0.0.1 or half a TLS configuration; not_found / invalid_argument for
  /// unreadable or bad PEM files; upstream_unavailable when the port cannot be bound.
  static result<std::unique_ptr<MockLlmServer>> start(ServerOptions options);
  /// The same on `executor`, which must outlive the server; io_threads is ignored.
  static result<std::unique_ptr<MockLlmServer>> start(ServerOptions options, Executor executor);

  ~MockLlmServer();
  MockLlmServer(const MockLlmServer&) = delete;
  MockLlmServer& operator=(const MockLlmServer&) = delete;

  /// The bound port.
  std::uint16_t port() const noexcept;
  /// "http://127.0.0.1:PORT/v1" ("https://..." with TLS): what an OpenAI client takes.
  std::string base_url() const;

  /// Appends a rule (tried after the earlier ones). invalid_argument when validate_rule fails.
  result<void> add_rule(Rule rule);
  /// Appends several rules, all or none.
  result<void> add_rules(std::vector<Rule> rules);
  /// Forgets every rule and its match counters.
  void clear_rules();

  Stats stats() const;
  /// Zeroes the counters (open_connections keeps its live value) and the x-mock-fault-count
  /// tallies.
  void reset_stats();

  /// Stops accepting, closes every connection (hung requests included) and, when the server owns
  /// its threads, joins them. Idempotent. With a caller's executor, waits a bounded time for the
  /// connections to wind down: do not call it from a thread that runs that executor.
  void stop();

 private:
  struct Impl;
  explicit MockLlmServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace opsgraph::mock
