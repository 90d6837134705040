#pragma once
// An observer for tests: keeps a copy of every event it is given.

#include <mutex>
#include <opsgraph/graph/event.hpp>
#include <string>
#include <vector>

namespace opsgraph::graph::testing {

struct SeenEvent {
  EventType type;
  std::uint64_t seq;
  std::string run_id;
  std::string node;
  int attempt;
  std::chrono::milliseconds delay;
  std::optional<errc> error;
  json::Value payload;
};

class EventLog {
 public:
  Observer observer() {
    return [this](const Event& e) {
      std::lock_guard lock(mutex_);
      events_.push_back(SeenEvent{e.type, e.seq, std::string(e.run_id), std::string(e.node),
                                  e.attempt, e.delay,
                                  e.error ? std::optional<errc>(e.error->code) : std::nullopt,
                                  e.payload ? *e.payload : json::Value{}});
    };
  }

  std::vector<SeenEvent> of(std::string_view run_id) const {
    std::lock_guard lock(mutex_);
    std::vector<SeenEvent> out;
    for (auto& e : events_) {
      if (e.run_id == run_id)
        out.push_back(e);
    }
    return out;
  }

  /// "run_started node_started:a node_finished:a ... completed" for one run.
  std::string script(std::string_view run_id) const {
    std::string out;
    for (auto& e : of(run_id)) {
      if (!out.empty())
        out += ' ';
      out += to_string(e.type);
      if (!e.node.empty())
        out += ":" + e.node;
    }
    return out;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<SeenEvent> events_;
};

}  // namespace opsgraph::graph::testing
