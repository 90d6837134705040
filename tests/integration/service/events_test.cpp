// GET /api/v1/tasks/{id}/events: Server-Sent Events in order, live, and resumable.

#include <future>

#include "service_fixture.hpp"

namespace opsgraph::service::testing {
namespace {

struct Frame {
  std::uint64_t id = 0;  // 0: no id line (a progress notice)
  std::string event;
  json::Value data;
};

// The frames of an event stream body; comment lines (keep-alives) are skipped.
std::vector<Frame> frames_of(std::string_view body) {
  std::vector<Frame> frames;
  while (!body.empty()) {
    const auto end = std::min(body.find("\n\n"), body.size());
    auto block = body.substr(0, end);
    body.remove_prefix(std::min(end + 2, body.size()));
    Frame frame;
    bool any = false;
    while (!block.empty()) {
      const auto eol = std::min(block.find('\n'), block.size());
      const auto line = block.substr(0, eol);
      block.remove_prefix(std::min(eol + 1, block.size()));
      if (line.starts_with("id: ")) {
        frame.id = std::stoull(std::string(line.substr(4)));
      } else if (line.starts_with("event: ")) {
        frame.event = std::string(line.substr(7));
        any = true;
      } else if (line.starts_with("data: ")) {
        auto parsed = json::parse(line.substr(6));
        frame.data = parsed ? parsed.value() : json::Value();
      }
    }
    if (any)
      frames.push_back(std::move(frame));
  }
  return frames;
}

std::vector<Frame> stored(const std::vector<Frame>& frames) {
  std::vector<Frame> out;
  for (const auto& frame : frames) {
    if (frame.id > 0)
      out.push_back(frame);
  }
  return out;
}

TEST_F(ServiceTest, AFinishedTaskStreamsItsWholeTrailInOrderThenEnds) {
  const auto id = text_of(execute_http(kCpuRequest, "?wait=30"), "task_id");
  auto reply = call("GET", "/api/v1/tasks/" + id + "/events", {}, Role::viewer);
  ASSERT_EQ(reply.status, 200u) << reply.body;
  EXPECT_EQ(reply.header("content-type"), "text/event-stream");
  auto events = stored(frames_of(reply.body));
  ASSERT_GE(events.size(), 3u) << reply.body;
  for (std::size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i].id, i + 1) << "ids are the event sequence, without gaps";
    EXPECT_EQ(text_of(events[i].data, "type"), events[i].event);
  }
  EXPECT_EQ(events.front().event, "created");
  EXPECT_EQ(events.back().event, "status");
  EXPECT_EQ(text_of(*events.back().data.find("data"), "status"), "completed");
  EXPECT_EQ(call("GET", "/api/v1/tasks/missing/events", {}, Role::viewer).status, 404u);
}

TEST_F(ServiceTest, LastEventIdResumesAfterThatEvent) {
  const auto id = text_of(execute_http(kCpuRequest, "?wait=30"), "task_id");
  auto all =
      stored(frames_of(call("GET", "/api/v1/tasks/" + id + "/events", {}, Role::viewer).body));
  ASSERT_GE(all.size(), 3u);
  auto rest =
      call("GET", "/api/v1/tasks/" + id + "/events", {}, Role::viewer, {{"Last-Event-ID", "2"}});
  auto resumed = stored(frames_of(rest.body));
  ASSERT_EQ(resumed.size(), all.size() - 2);
  EXPECT_EQ(resumed.front().id, 3u);
  auto by_query = stored(
      frames_of(call("GET", "/api/v1/tasks/" + id + "/events?after=1", {}, Role::viewer).body));
  EXPECT_EQ(by_query.size(), all.size() - 1);
  EXPECT_EQ(call("GET", "/api/v1/tasks/" + id + "/events", {}, Role::viewer,
                 {{"Last-Event-ID", "latest"}})
                .status,
            422u);
}

TEST_F(ServiceTest, ALiveStreamDeliversTheDecisionAndTheRestAsTheyHappen) {
  auto task = execute_http(kRdpRequest);
  const auto id = text_of(task, "task_id");
  ASSERT_EQ(text_of(task, "status"), "waiting_approval");
  const auto viewer = auth(Role::viewer);
  const auto port_number = port();
  auto streamed = std::async(std::launch::async, [port_number, id, viewer] {
    HttpClient client(port_number);
    return client.request("GET", "/api/v1/tasks/" + id + "/events", {}, viewer);
  });
  // The stream is open and idle before the decision is made.
  ASSERT_EQ(streamed.wait_for(std::chrono::milliseconds{300}), std::future_status::timeout);
  const auto hash = text_of(*task.find("plan"), "hash");
  auto approved = call("POST", "/api/v1/plans/" + id + "/approve",
                       json::dump(json::Object{{"plan_hash", hash}}), Role::approver);
  ASSERT_EQ(approved.status, 202u) << approved.body;
  ASSERT_EQ(streamed.wait_for(std::chrono::seconds{30}), std::future_status::ready);
  auto reply = streamed.get();
  auto frames = frames_of(reply.body);
  auto events = stored(frames);
  std::vector<std::string> types;
  for (std::size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i].id, i + 1);
    types.push_back(events[i].event);
  }
  EXPECT_NE(std::find(types.begin(), types.end(), "approved"), types.end());
  EXPECT_EQ(types.back(), "status");
  EXPECT_GT(frames.size(), events.size()) << "progress notices arrive live too";
}

}  // namespace
}  // namespace opsgraph::service::testing
