#include <opsgraph/core/json.hpp>
#include <opsgraph/core/json_codec.hpp>
#include <opsgraph/engine/engine.hpp>

namespace opsgraph::engine {

json::Value event_json(const TaskEvent& event) {
  // data is JSON text the engine wrote; kept as text if it ever is not.
  auto data = json::parse(event.data);
  return json::Object{{"task_id", event.task_id},
                      {"seq", static_cast<std::int64_t>(event.seq)},
                      {"type", event.type},
                      {"data", data ? std::move(data).value() : json::Value(event.data)},
                      {"at", json::to_value(event.at)}};
}

}  // namespace opsgraph::engine
