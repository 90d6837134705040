#pragma once
// Progress of a task as it runs: every event the engine reports for it (stored events and node
// progress) becomes one line, "  1.2s  planning   planner started". On a terminal the time and
// stage are styled; elsewhere the lines are plain text with no control sequences.
//
// The engine's callback only queues events; the command's own thread prints them (flush), so a
// slow terminal or pipe never holds up the engine. Thread-safe.

#include <chrono>
#include <cstdio>
#include <deque>
#include <mutex>
#include <opsgraph/engine/engine.hpp>
#include <string>
#include <string_view>

namespace opsgraph::cli {

class Progress {
 public:
  /// Lines go to `out` (borrowed), styled when `styled`.
  Progress(std::FILE* out, bool styled);

  /// Starts queueing the events `engine` reports for every task (call before execute, so the
  /// first events are not missed); the subscription ends with this object or the engine.
  void attach(engine::Engine& engine);

  /// Only events of `task_id` are printed from now on.
  void follow(std::string task_id);

  /// Prints the queued events of the followed task.
  void flush();

  /// Prints a line of the command's own, in the same format.
  void note(std::string_view text);

  std::FILE* stream() const { return out_; }

 private:
  void line(std::string_view stage, std::string_view text);

  std::FILE* out_;
  bool styled_;
  std::chrono::steady_clock::time_point start_;
  std::mutex mutex_;
  std::deque<engine::TaskEvent> queue_;
  std::string task_id_;
  std::string last_stage_;  // Only flush() touches it.
  engine::Subscription subscription_;
};

}  // namespace opsgraph::cli
