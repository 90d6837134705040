#pragma once
// Responder — the mock's request logic without any I/O: routes a request, parses it, picks the
// rule or default answer and the fault, counts everything, and returns a Reply that the
// handler then delivers. Thread-safe (one mutex; the work under it is small). Internal.

#include <chrono>
#include <functional>
#include <mutex>
#include <opsgraph/mock/llm_server.hpp>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rule_book.hpp"

namespace opsgraph::mock::detail {

/// The parts of an HTTP request the Responder looks at.
struct RequestView {
  std::string_view method;
  std::string_view target;
  std::string_view body;
  std::optional<std::string_view> fault_header;        // x-mock-fault
  std::optional<std::string_view> fault_count_header;  // x-mock-fault-count
};

/// How the handler delivers a Reply.
enum class Delivery {
  whole,      ///< Status, headers and body.
  stream,     ///< 200 text/event-stream, `events` one write each.
  hang,       ///< Nothing, until the client goes away or the server stops.
  truncated,  ///< Content-Length of the whole body, half of it, then close.
  reset,      ///< Part of the answer (whole or stream), then a TCP reset.
};

struct Reply {
  unsigned status = 200;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::vector<std::string> events;
  Delivery delivery = Delivery::whole;
  /// Wait this long before delivering.
  std::chrono::milliseconds delay{0};
};

/// An OpenAI-shaped error reply; a null `code` is written as null.
Reply error_reply(unsigned status, std::string_view message, std::string_view type,
                  json::Value code = {});

class Responder {
 public:
  /// `open_connections` says how many connections the server has open (for Stats).
  Responder(const ServerOptions& options, std::function<std::uint64_t()> open_connections);

  Reply respond(const RequestView& request);

  result<void> add_rules(std::vector<Rule> rules);
  void clear_rules();

  Stats stats() const;
  void reset_stats();
  void stream_aborted();

 private:
  Reply chat_completion(const RequestView& request);
  Reply models();
  std::optional<Fault> header_fault(const RequestView& request, Reply& refusal);
  std::chrono::milliseconds draw_latency(const Fault& fault);
  void count_fault(const Fault& fault);

  const ServerOptions options_;
  const std::function<std::uint64_t()> open_connections_;
  mutable std::mutex mutex_;
  RuleBook rules_;
  Stats stats_;
  std::map<std::string, std::uint64_t, std::less<>> fault_header_uses_;
  std::mt19937_64 random_;
  std::uint64_t next_id_ = 1;
};

}  // namespace opsgraph::mock::detail
