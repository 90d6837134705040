// The service under bad and heavy input: malformed, oversized, slow and truncated requests, a
// thousand status polls at once, and a graceful shutdown with a request in flight.

#include <sys/resource.h>

#include <future>
#include <thread>

#include "service_fixture.hpp"
#include "support/open_files.hpp"

namespace opsgraph::service::testing {
namespace {

TEST_F(ServiceTest, MalformedOversizedAndSlowRequestsGetClearErrors) {
  restart_service([](ServiceConfig& config) {
    config.read_timeout_ms = 300;
    config.max_body_bytes = 32 * 1024;
  });
  HttpClient malformed(port());
  EXPECT_EQ(malformed.raw("GARBAGE\r\n\r\n").status, 400u);

  auto big = call("POST", "/api/v1/execute", std::string(40 * 1024, 'x'), Role::operator_role);
  EXPECT_EQ(big.status, 413u);
  EXPECT_EQ(big.header("content-type"), "application/problem+json");

  auto headers = auth(Role::viewer);
  headers.emplace_back("X-Padding", std::string(20 * 1024, 'p'));
  HttpClient padded(port());
  EXPECT_EQ(padded.request("GET", "/api/v1/tasks", {}, headers).status, 431u);

  // Half a request, then silence: answered 408 once the read timeout passes.
  HttpClient slow(port());
  auto timed_out = slow.raw(
      "POST /api/v1/execute HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n"
      "Content-Type: application/json\r\n\r\n{\"request\":");
  EXPECT_EQ(timed_out.status, 408u);

  // A client that goes away mid-body leaves the service serving everyone else.
  {
    HttpClient truncated(port());
    truncated.raw_until("POST /api/v1/execute HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{",
                        "never");
  }
  EXPECT_EQ(call("GET", "/healthz", {}, std::nullopt).status, 200u);
  auto listed = call("GET", "/api/v1/tasks", {}, Role::viewer);
  EXPECT_EQ(listed.status, 200u);
  EXPECT_TRUE(listed.json().find("tasks")->if_array()->empty()) << "nothing half-sent was run";
}

TEST_F(ServiceTest, AThousandConcurrentStatusPollsAreAllAnswered) {
  constexpr std::size_t kClients = 1000;
  opsgraph::testing::raise_open_file_limit(4 * kClients);
  // One key polls a thousand times at once: its rate limit is not what this test is about.
  restart_service([](ServiceConfig& config) { config.rate_limit.per_second = 0; });
  const auto id = text_of(execute_http(kCpuRequest, "?wait=30"), "task_id");
  std::vector<std::unique_ptr<HttpClient>> clients;
  for (std::size_t i = 0; i < kClients; ++i) {
    clients.push_back(std::make_unique<HttpClient>(port()));
    ASSERT_FALSE(clients.back()->connect_error()) << clients.back()->connect_error().message();
  }
  // Every request is sent before any answer is read: a thousand in flight at once.
  const auto poll = "GET /api/v1/tasks/" + id + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
                    "Authorization: Bearer " + secret(Role::viewer) + "\r\n\r\n";
  for (auto& client : clients)
    ASSERT_TRUE(client->send(poll));
  std::size_t answered = 0;
  bool reported = false;
  for (auto& client : clients) {
    auto reply = client->read_reply();
    if (reply.status == 200 && text_of(reply.json(), "task_id") == id)
      ++answered;
    else if (!std::exchange(reported, true))
      ADD_FAILURE() << "first failed poll: " << reply.status << " " << reply.error.message();
  }
  EXPECT_EQ(answered, kClients);
}

TEST_F(ServiceTest, StopFinishesRequestsInFlightAndRefusesNewOnes) {
  const auto gated = text_of(execute_http(kRdpRequest), "task_id");
  const auto operator_key = auth(Role::operator_role);
  const auto port_number = port();
  // Waits up to two seconds for a final state that will not come: in flight when stop begins.
  auto in_flight = std::async(std::launch::async, [port_number, gated, operator_key] {
    HttpClient client(port_number);
    auto headers = operator_key;
    headers.emplace_back("Content-Type", "application/json");
    return client.request("POST", "/api/v1/execute?wait=2", execute_body(kRdpRequest), headers);
  });
  std::this_thread::sleep_for(std::chrono::milliseconds{300});
  service_->stop(std::chrono::seconds{10});
  ASSERT_EQ(in_flight.wait_for(std::chrono::seconds{5}), std::future_status::ready);
  auto reply = in_flight.get();
  EXPECT_EQ(reply.status, 202u) << reply.body;
  EXPECT_EQ(reply.header("connection"), "close");
  HttpClient late(port_number);
  auto refused = late.get("/healthz");
  EXPECT_TRUE(late.connect_error() || refused.error) << "a stopped service accepts nothing";
  // The tasks stay in the store as they were, for the next engine to pick up.
  auto task = shared_engine_->status(gated);
  ASSERT_TRUE(task);
  EXPECT_EQ(task.value().status, coordinator::TaskStatus::waiting_approval);
}

}  // namespace
}  // namespace opsgraph::service::testing
