#include <opsgraph/mock/llm_server.hpp>

namespace opsgraph::mock {

namespace {

json::Value counters(const std::map<std::string, std::uint64_t>& counts) {
  json::Value object = json::Object{};
  for (const auto& [name, count] : counts)
    object.set(name, count);
  return object;
}

}  // namespace

json::Value to_json(const Stats& stats) {
  json::Value out = json::Object{};
  out.set("total_requests", stats.total_requests);
  out.set("requests_by_path", counters(stats.requests_by_path));
  out.set("requests_by_rule", counters(stats.requests_by_rule));
  out.set("faults_injected", counters(stats.faults_injected));
  out.set("open_connections", stats.open_connections);
  out.set("streams_aborted", stats.streams_aborted);
  return out;
}

}  // namespace opsgraph::mock
