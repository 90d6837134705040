#pragma once
// Requests submitted over HTTP to a fleet's front ends (`opsgraphd --no-worker`) by a few client
// threads, as clients behind a load balancer send them: each thread sends its requests to the
// front ends in turn, over one kept-alive connection per front end. A request that gets no answer
// (its front end died, or was not up yet) is sent again to the next front end with the same
// Idempotency-Key, so the store keeps one task for it whichever attempt reached it. A request is
// acknowledged when its 200 or 202 answer arrives.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace opsgraph::fleet {

/// Where each front end listens now. Thread-safe: the test sets the port of a front end it
/// restarted while the client threads read them.
class FrontEndPorts {
 public:
  explicit FrontEndPorts(std::size_t count) : ports_(count) {}

  std::size_t size() const { return ports_.size(); }
  std::uint16_t get(std::size_t index) const { return ports_[index].load(); }
  void set(std::size_t index, std::uint16_t port) { ports_[index].store(port); }

 private:
  std::vector<std::atomic<std::uint16_t>> ports_;
};

struct SubmissionOptions {
  /// The requests' numbers: first .. first + count - 1. A number is its request's Idempotency-Key,
  /// so submissions to one store do not share numbers.
  int first = 0;
  int count = 0;
  int threads = 4;
  /// The secret of an operator key.
  std::string secret;
  /// The text of request `number`.
  std::function<std::string(int number)> request_text;
};

struct SubmissionResult {
  /// The ids of the acknowledged tasks, in the order their answers arrived.
  std::vector<std::string> acknowledged;
  /// Attempts that got no answer (a refused connection, a connection closed mid-request) and were
  /// sent again.
  int transport_errors = 0;
  /// Answers other than 200 and 202, as "STATUS BODY"; those requests are not acknowledged.
  std::vector<std::string> refused;
  /// Requests given up after no front end answered them for kGiveUpAfter.
  int abandoned = 0;
};

/// The submission runs on its own threads from construction; the destructor waits for them.
/// done(), acknowledged_by() and finish() are for the thread that made it.
class HttpSubmission {
 public:
  static constexpr auto kGiveUpAfter = std::chrono::seconds{30};

  HttpSubmission(const FrontEndPorts& ports, SubmissionOptions options);
  HttpSubmission(const HttpSubmission&) = delete;
  HttpSubmission& operator=(const HttpSubmission&) = delete;
  ~HttpSubmission();

  /// True once every request has been acknowledged, refused or given up.
  bool done() const { return running_.load() == 0; }
  /// How many requests front end `index` has acknowledged so far.
  std::size_t acknowledged_by(std::size_t index) const;
  /// Waits for the client threads and returns what they did.
  SubmissionResult finish();

 private:
  struct Connection;

  /// Client `client` sends requests first + client, first + client + threads, ...
  void run_client(int client);
  void submit(int number, std::size_t first_front, std::vector<Connection>& connections);

  const FrontEndPorts& ports_;
  const SubmissionOptions options_;
  std::atomic<int> running_;
  mutable std::mutex mutex_;
  SubmissionResult result_;                   // guarded by mutex_
  std::vector<std::size_t> acknowledged_by_;  // guarded by mutex_
  std::vector<std::thread> threads_;
};

}  // namespace opsgraph::fleet
