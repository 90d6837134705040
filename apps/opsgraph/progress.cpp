#include "progress.hpp"

#include <opsgraph/core/json.hpp>
#include <utility>
#include <vector>

namespace opsgraph::cli {
namespace {

std::string text_of(const json::Value& data, std::string_view key) {
  const json::Value* value = data.find(key);
  if (value == nullptr)
    return "";
  if (const std::string* text = value->if_string())
    return *text;
  if (const bool* flag = value->if_bool())
    return *flag ? "yes" : "no";
  if (const std::int64_t* number = value->if_integer())
    return std::to_string(*number);
  if (value->is_number()) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.2f", value->as_double());
    return buffer;
  }
  return json::dump(*value);
}

struct Line {
  std::string stage;
  std::string text;
};

Line describe(const engine::TaskEvent& event) {
  auto parsed = json::parse(event.data);
  const json::Value data = parsed ? std::move(parsed).value() : json::Value();
  const std::string& type = event.type;
  if (type == "progress") {
    const std::string node = text_of(data, "node");
    if (text_of(data, "event") == "node_retried")
      return {text_of(data, "stage"), node + " retried (attempt " + text_of(data, "attempt") + ")"};
    return {text_of(data, "stage"), node + " started"};
  }
  if (type == "created") {
    return {"routing",
            "task created, risk " + text_of(data, "risk") +
                (text_of(data, "requires_approval") == "yes" ? ", approval required" : "")};
  }
  if (type == "planned") {
    std::string risk;
    if (const json::Value* r = data.find("risk"))
      risk = ", risk " + text_of(*r, "level") + " (" + text_of(*r, "score") + ")";
    return {"planning",
            "plan ready: " + text_of(data, "steps") + " steps" + risk +
                (text_of(data, "requires_approval") == "yes" ? ", approval required" : "")};
  }
  if (type == "diagnosed") {
    return {"diagnosis",
            std::string("diagnosis attached: ") +
                (text_of(data, "problem_identified") == "yes" ? "problem identified"
                                                              : "no problem identified") +
                ", confidence " + text_of(data, "confidence")};
  }
  if (type == "script_checked") {
    return {"script_check", "script checked (attempt " + text_of(data, "attempt") + "): lint " +
                                (text_of(data, "lint_passed") == "yes" ? "passed" : "not passed") +
                                ", " + text_of(data, "findings") + " findings"};
  }
  if (type == "status") {
    std::string text = "status " + text_of(data, "status");
    if (const json::Value* error = data.find("error"))
      text += ": " + text_of(*error, "message");
    return {text_of(data, "stage"), text};
  }
  if (type == "approved" || type == "rejected") {
    std::string text = type + " by " + text_of(data, "actor");
    const std::string comment = text_of(data, "comment");
    if (!comment.empty())
      text += " (" + comment + ")";
    return {text_of(data, "gate"), text};
  }
  std::string text = type;
  const std::string actor = text_of(data, "actor");
  if (!actor.empty())
    text += " by " + actor;
  return {"", text};
}

}  // namespace

Progress::Progress(std::FILE* out, bool styled)
    : out_(out), styled_(styled), start_(std::chrono::steady_clock::now()) {}

void Progress::attach(engine::Engine& engine) {
  subscription_ = engine.subscribe("", [this](const engine::TaskEvent& event) {
    std::lock_guard lock(mutex_);
    queue_.push_back(event);
  });
}

void Progress::follow(std::string task_id) {
  std::lock_guard lock(mutex_);
  task_id_ = std::move(task_id);
}

void Progress::flush() {
  std::vector<engine::TaskEvent> events;
  {
    std::lock_guard lock(mutex_);
    for (auto& event : queue_) {
      if (!task_id_.empty() && event.task_id == task_id_)
        events.push_back(std::move(event));
    }
    queue_.clear();
  }
  for (const engine::TaskEvent& event : events) {
    Line described = describe(event);
    // Nodes inside a specialist's graph ("diagnosis/diagnose") carry no stage: theirs is the
    // stage of the line before.
    if (described.stage.empty() && event.type == "progress")
      described.stage = last_stage_;
    else if (!described.stage.empty())
      last_stage_ = described.stage;
    line(described.stage, described.text);
  }
}

void Progress::note(std::string_view text) {
  line("", text);
}

void Progress::line(std::string_view stage, std::string_view text) {
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const std::string stage_text(stage);
  if (styled_) {
    // Dim time, bold cyan stage: readable at a glance, and only ever on a terminal.
    std::fprintf(out_, "\033[2m%6.1fs\033[0m  \033[1;36m%-13s\033[0m %.*s\n", seconds,
                 stage_text.c_str(), static_cast<int>(text.size()), text.data());
  } else {
    std::fprintf(out_, "%6.1fs  %-13s %.*s\n", seconds, stage_text.c_str(),
                 static_cast<int>(text.size()), text.data());
  }
  std::fflush(out_);
}

}  // namespace opsgraph::cli
