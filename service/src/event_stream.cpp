// GET /api/v1/tasks/{id}/events: the task's audit trail as Server-Sent Events, from the start or
// after Last-Event-ID (or ?after=SEQ), then live until the task reaches a final status. Stored
// events carry `id: <seq>` so a client that reconnects misses nothing; progress notices (node
// started or finished) are sent as `event: progress` without an id.

#include <charconv>
#include <deque>
#include <mutex>
#include <opsgraph/coordinator/task_snapshot.hpp>
#include <opsgraph/core/json.hpp>

#include "problem.hpp"
#include "service_core.hpp"

namespace opsgraph::service {
namespace {

// A comment line this often keeps proxies from closing a quiet stream.
constexpr std::chrono::seconds kHeartbeat{15};
// Events recorded by other processes (workers of a fleet) reach this one only through the store:
// a quiet stream looks there this often.
constexpr std::chrono::seconds kRecheck{1};
constexpr std::size_t kReplayPage = 500;

// Events delivered by the engine's threads, waiting for the stream's coroutine. The exchange is
// woken through a pointer that the stream clears before it ends.
struct Inbox {
  std::mutex mutex;
  std::deque<engine::TaskEvent> events;
  http::Exchange* exchange = nullptr;

  void push(const engine::TaskEvent& event) {
    std::lock_guard lock(mutex);
    events.push_back(event);
    if (exchange != nullptr)
      exchange->wake();
  }
  bool empty() {
    std::lock_guard lock(mutex);
    return events.empty();
  }
  std::deque<engine::TaskEvent> take() {
    std::lock_guard lock(mutex);
    return std::exchange(events, {});
  }
  void detach() {
    std::lock_guard lock(mutex);
    exchange = nullptr;
  }
};

std::string sse_frame(const engine::TaskEvent& event) {
  std::string frame;
  if (event.seq > 0)
    frame += "id: " + std::to_string(event.seq) + "\n";
  frame += "event: " + (event.seq > 0 ? event.type : std::string("progress")) + "\n";
  frame += "data: " + json::dump(engine::event_json(event)) + "\n\n";
  return frame;
}

// Whether `event` ends the task: a rejection, a cancellation, or a status event that completed
// or failed it (a failed task may be retried later; the client then reconnects).
bool is_final_event(const engine::TaskEvent& event) {
  if (event.type == "rejected" || event.type == "cancelled")
    return true;
  if (event.type != "status")
    return false;
  auto data = json::parse(event.data);
  const auto* status = data ? data.value().find("status") : nullptr;
  if (status == nullptr || !status->is_string())
    return false;
  return *status->if_string() == "completed" || *status->if_string() == "failed";
}

result<std::uint64_t> resume_point(const http::Request& request) {
  std::string text(request.header("last-event-id").value_or(""));
  if (text.empty()) {
    OPSGRAPH_TRY(auto parameters, http::parse_query(request.query()));
    for (const auto& [name, value] : parameters) {
      if (name == "after")
        text = value;
    }
  }
  if (text.empty())
    return std::uint64_t{0};
  std::uint64_t seq = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seq);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return fail(errc::invalid_argument, "Last-Event-ID: expected an event sequence number",
                json::Object{{"path", "header.last-event-id"}});
  }
  return seq;
}

// Writes `event` unless it was sent already; false when the client went away.
Task<bool> send(http::Exchange& exchange, const engine::TaskEvent& event, std::uint64_t& sent,
                bool& finished) {
  if (event.seq > 0 && event.seq <= sent)
    co_return true;
  if (event.seq > 0)
    sent = event.seq;
  finished = finished || (event.seq > 0 && is_final_event(event));
  // Named: the write is a lazy coroutine holding a view of the frame until it is awaited.
  const auto frame = sse_frame(event);
  auto write = exchange.write_chunk(frame);
  const bool written = co_await std::move(write);
  co_return written;
}

// The stored events after `sent`, page by page; false when the client went away.
Task<bool> replay(Call& call, std::uint64_t& sent, bool& finished) {
  for (;;) {
    auto read = call.core.engine->events_async(call.id, sent, kReplayPage);
    auto page = co_await std::move(read);
    if (!page)
      co_return false;
    for (const auto& event : page.value()) {
      auto write = send(call.exchange, event, sent, finished);
      if (!co_await std::move(write))
        co_return false;
    }
    if (page.value().size() < kReplayPage)
      co_return true;
  }
}

}  // namespace

Task<std::optional<http::Response>> stream_task_events(Call& call) {
  auto after = resume_point(call.request);
  if (!after)
    co_return problem(after.error());
  auto& engine = *call.core.engine;
  // Subscribe before reading what is stored, so nothing falls between the two.
  auto inbox = std::make_shared<Inbox>();
  inbox->exchange = &call.exchange;
  auto subscription =
      engine.subscribe(call.id, [inbox](const engine::TaskEvent& event) { inbox->push(event); });
  auto looked = engine.status_async(call.id);
  auto task = co_await std::move(looked);
  if (!task) {
    inbox->detach();
    co_return problem(task.error());
  }
  http::Headers headers{{"Cache-Control", "no-cache"}, {"X-Accel-Buffering", "no"}};
  auto begin = call.exchange.begin_stream(200, "text/event-stream", std::move(headers));
  bool open = co_await std::move(begin);
  std::uint64_t sent = after.value();
  bool finished = false;
  if (open) {
    auto first = replay(call, sent, finished);
    open = co_await std::move(first);
  }
  // A task already final whose events were all replayed has nothing more to say.
  finished = finished || (coordinator::is_final(task.value().status) && open);
  auto last_beat = std::chrono::steady_clock::now();
  while (open && !finished && !call.exchange.stopping()) {
    for (const auto& event : inbox->take()) {
      auto write = send(call.exchange, event, sent, finished);
      open = co_await std::move(write);
      if (!open)
        break;
    }
    if (!open || finished)
      break;
    auto paused = call.exchange.pause(kRecheck);
    open = co_await std::move(paused);
    if (!open || !inbox->empty())
      continue;
    auto recheck = replay(call, sent, finished);
    open = co_await std::move(recheck);
    if (open && std::chrono::steady_clock::now() - last_beat >= kHeartbeat) {
      last_beat = std::chrono::steady_clock::now();
      auto beat = call.exchange.write_chunk(": keep-alive\n\n");
      open = co_await std::move(beat);
    }
  }
  inbox->detach();
  subscription.reset();
  if (open) {
    auto end = call.exchange.end_stream();
    co_await std::move(end);
  }
  co_return std::nullopt;
}

}  // namespace opsgraph::service
