#pragma once
// HttpServerTest — a fixture that runs an http::Server with a small routing handler on two io
// threads, and the Probe through which that handler and the tests meet.
//
// Routes: /hello (200 "hello"), /echo (method and body back), /big (40,000 bytes), /query (the
// decoded query pairs, 400 when malformed), /header (the X-Test header), /silent (returns without
// answering), /throw (throws), /slow (answers after 300 ms of work), /wait (a 10 s pause, its
// result recorded), /stream (a chunked event stream fed through Probe::push_event), /flood (a
// chunked stream written as fast as the peer takes it, up to 1 GiB, how it ended recorded),
// anything else 404.

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <opsgraph/core/runtime.hpp>
#include <opsgraph/http/server.hpp>
#include <optional>
#include <string>

#include "support/http_client.hpp"

namespace opsgraph::http::testing {

using opsgraph::testing::ClientOptions;
using opsgraph::testing::HttpClient;
using opsgraph::testing::Reply;

/// What the handler records and what tests feed it. Thread-safe.
class Probe {
 public:
  /// Queues an event for /stream and wakes its pause.
  void push_event(std::string event);
  /// Called by /stream: takes the next event, or nullopt.
  std::optional<std::string> take_event();
  void set_stream(Exchange* exchange);

  void mark_started(const std::string& route);
  /// Waits until `route`'s handler has started `count` times.
  bool wait_started(const std::string& route, int count = 1,
                    std::chrono::milliseconds timeout = std::chrono::seconds(5));

  void record_pause(bool result);
  /// The result of /wait's pause, once it returned.
  std::optional<bool> wait_pause_result(std::chrono::milliseconds timeout);

  /// How /flood ended: the bytes written, and whether a write failed (else it wrote all 1 GiB).
  struct Flood {
    std::size_t bytes = 0;
    bool write_failed = false;
  };
  void record_flood(Flood flood);
  std::optional<Flood> wait_flood(std::chrono::milliseconds timeout);

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  Exchange* stream_ = nullptr;
  std::deque<std::string> events_;
  std::map<std::string, int> started_;
  std::optional<bool> pause_result_;
  std::optional<Flood> flood_;
};

/// The fixture's handler.
Task<void> route(std::shared_ptr<Probe> probe, Exchange& exchange);

class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override { start(ServerOptions{}); }

  void start(ServerOptions options) {
    server_.reset();
    auto started = Server::start(std::move(options), runtime_.executor(), handler());
    ASSERT_TRUE(started) << started.error().message;
    server_ = std::move(started.value());
  }

  Handler handler() {
    return [probe = probe_](Exchange& exchange) { return route(probe, exchange); };
  }

  HttpClient client() { return HttpClient(server_->port()); }

  Runtime runtime_{Runtime::Options{.io_threads = 2, .blocking_threads = 1}};
  std::shared_ptr<Probe> probe_ = std::make_shared<Probe>();
  std::unique_ptr<Server> server_;
};

/// Polls `condition` for up to `timeout`.
template <class Condition>
bool eventually(Condition condition,
                std::chrono::milliseconds timeout = std::chrono::milliseconds(3000)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition())
      return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return condition();
}

/// A problem+json reply of `status`.
void expect_problem(const Reply& reply, unsigned status);

}  // namespace opsgraph::http::testing
