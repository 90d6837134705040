#include "http_submission.hpp"

#include <memory>
#include <opsgraph/core/json.hpp>

#include "support/http_client.hpp"

namespace opsgraph::fleet {

// One thread's kept-alive connection to one front end, made again when it failed or the front end
// moved to another port.
struct HttpSubmission::Connection {
  std::uint16_t port = 0;
  std::unique_ptr<testing::HttpClient> client;

  testing::Reply post(std::uint16_t to, const std::string& body, const testing::Headers& headers) {
    if (!client || port != to) {
      client = std::make_unique<testing::HttpClient>(to);
      port = to;
    }
    testing::Reply reply;
    if (client->connect_error())
      reply.error = client->connect_error();
    else
      reply = client->post("/api/v1/execute?wait=0", body, headers);
    if (reply.error || reply.header("connection") == "close")
      client.reset();
    return reply;
  }
};

HttpSubmission::HttpSubmission(const FrontEndPorts& ports, SubmissionOptions options)
    : ports_(ports),
      options_(std::move(options)),
      running_(options_.threads),
      acknowledged_by_(ports.size()) {
  for (int client = 0; client < options_.threads; ++client)
    threads_.emplace_back([this, client] { run_client(client); });
}

HttpSubmission::~HttpSubmission() {
  for (auto& thread : threads_) {
    if (thread.joinable())
      thread.join();
  }
}

std::size_t HttpSubmission::acknowledged_by(std::size_t index) const {
  std::lock_guard lock(mutex_);
  return acknowledged_by_[index];
}

SubmissionResult HttpSubmission::finish() {
  for (auto& thread : threads_) {
    if (thread.joinable())
      thread.join();
  }
  std::lock_guard lock(mutex_);
  return result_;
}

void HttpSubmission::run_client(int client) {
  std::vector<Connection> connections(ports_.size());
  std::size_t front = static_cast<std::size_t>(client);
  const int end = options_.first + options_.count;
  for (int number = options_.first + client; number < end; number += options_.threads)
    submit(number, front++, connections);
  --running_;
}

void HttpSubmission::submit(int number, std::size_t first_front,
                            std::vector<Connection>& connections) {
  const std::string body = json::dump(
      json::Object{{"request", options_.request_text(number)}, {"require_approval", false}});
  const testing::Headers headers{{"Authorization", "Bearer " + options_.secret},
                                 {"Idempotency-Key", "fleet-request-" + std::to_string(number)}};
  const auto give_up_at = std::chrono::steady_clock::now() + kGiveUpAfter;
  for (std::size_t attempt = 0;; ++attempt) {
    const std::size_t front = (first_front + attempt) % ports_.size();
    const auto reply = connections[front].post(ports_.get(front), body, headers);
    if (!reply.error) {
      const auto answer = reply.json();
      const auto* id = answer.find("task_id");
      std::lock_guard lock(mutex_);
      if ((reply.status == 200 || reply.status == 202) && id != nullptr && id->is_string()) {
        result_.acknowledged.push_back(*id->if_string());
        ++acknowledged_by_[front];
      } else {
        result_.refused.push_back(std::to_string(reply.status) + " " + reply.body);
      }
      return;
    }
    {
      std::lock_guard lock(mutex_);
      ++result_.transport_errors;
      if (std::chrono::steady_clock::now() >= give_up_at) {
        ++result_.abandoned;
        return;
      }
    }
    // Every front end failed this request in a row: give a restarting one a moment.
    if (attempt % ports_.size() == ports_.size() - 1)
      std::this_thread::sleep_for(std::chrono::milliseconds{100});
  }
}

}  // namespace opsgraph::fleet
