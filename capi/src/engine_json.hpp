#pragma once
// What the engine half of the C ABI reads and writes as JSON: the inputs of execute, approve,
// reject and list (strict: unknown members are refused, "schema_version" may be given and must be
// this library's), and the documents it hands out (tasks, pages, events), each with
// "schema_version".

#include <opsgraph/coordinator/task_snapshot.hpp>
#include <opsgraph/core/result.hpp>
#include <opsgraph/engine/requests.hpp>
#include <opsgraph/store/task_event.hpp>
#include <span>
#include <string>

namespace opsgraph::capi {

/// `json` (named `name` in errors) as an execute request. Errors: invalid_argument.
result<engine::ExecuteRequest> parse_execute_request(const char* json, std::string_view name);
/// NULL for the defaults.
result<engine::ApproveRequest> parse_approve_request(const char* json, std::string_view name);
result<engine::RejectRequest> parse_reject_request(const char* json, std::string_view name);
result<engine::TaskQuery> parse_task_query(const char* json, std::string_view name);

std::string task_document(const coordinator::TaskSnapshot& task);
std::string page_document(const engine::TaskPage& page);
std::string events_document(std::span<const store::TaskEvent> events);
/// One event as a subscriber receives it.
std::string event_document(const store::TaskEvent& event);

}  // namespace opsgraph::capi
