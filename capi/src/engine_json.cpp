// The JSON the engine functions read and write. The request types' shapes are declared once here,
// as local structs with json::Schema, so decoding refuses what the C header does not list.

#include "engine_json.hpp"

#include <opsgraph/core/json.hpp>
#include <opsgraph/core/json_codec.hpp>
#include <opsgraph/engine/engine.hpp>
#include <optional>
#include <utility>
#include <vector>

#include "boundary.hpp"

namespace opsgraph::capi {
namespace {

struct ExecuteBody {
  std::optional<std::int64_t> schema_version;
  std::string request;
  std::optional<bool> require_approval;
  json::Value context;
  std::optional<safety::Language> language;
  std::string requester = "anonymous";
  std::string idempotency_key;
};

struct ApproveBody {
  std::optional<std::int64_t> schema_version;
  std::string actor = "anonymous";
  std::string comment;
  std::string hash;
};

struct RejectBody {
  std::optional<std::int64_t> schema_version;
  std::string actor = "anonymous";
  std::string reason;
};

struct QueryBody {
  std::optional<std::int64_t> schema_version;
  std::vector<coordinator::TaskStatus> statuses;
  std::optional<std::string> requester;
  std::size_t limit = 50;
  std::string cursor;
};

}  // namespace
}  // namespace opsgraph::capi

template <>
struct opsgraph::json::Schema<opsgraph::capi::ExecuteBody> {
  using T = opsgraph::capi::ExecuteBody;
  static constexpr bool allow_unknown = false;
  static constexpr auto fields = std::make_tuple(
      json::optional_field("schema_version", &T::schema_version),
      json::field("request", &T::request),
      json::optional_field("require_approval", &T::require_approval),
      json::optional_field("context", &T::context), json::optional_field("language", &T::language),
      json::optional_field("requester", &T::requester),
      json::optional_field("idempotency_key", &T::idempotency_key));
};

template <>
struct opsgraph::json::Schema<opsgraph::capi::ApproveBody> {
  using T = opsgraph::capi::ApproveBody;
  static constexpr bool allow_unknown = false;
  static constexpr auto fields = std::make_tuple(
      json::optional_field("schema_version", &T::schema_version),
      json::optional_field("actor", &T::actor), json::optional_field("comment", &T::comment),
      json::optional_field("hash", &T::hash));
};

template <>
struct opsgraph::json::Schema<opsgraph::capi::RejectBody> {
  using T = opsgraph::capi::RejectBody;
  static constexpr bool allow_unknown = false;
  static constexpr auto fields = std::make_tuple(
      json::optional_field("schema_version", &T::schema_version),
      json::optional_field("actor", &T::actor), json::optional_field("reason", &T::reason));
};

template <>
struct opsgraph::json::Schema<opsgraph::capi::QueryBody> {
  using T = opsgraph::capi::QueryBody;
  static constexpr bool allow_unknown = false;
  static constexpr auto fields = std::make_tuple(
      json::optional_field("schema_version", &T::schema_version),
      json::optional_field("statuses", &T::statuses),
      json::optional_field("requester", &T::requester), json::optional_field("limit", &T::limit),
      json::optional_field("cursor", &T::cursor));
};

namespace opsgraph::capi {
namespace {

/// `text` decoded as Body; errors name the argument. NULL text is Body's defaults.
template <class Body>
result<Body> decode_body(const char* text, std::string_view name) {
  if (text == nullptr)
    return Body{};
  auto body = json::decode<Body>(text);
  if (!body) {
    Error error = body.error();
    error.message = std::string(name) + ": " + error.message;
    return error;
  }
  if (body.value().schema_version && *body.value().schema_version != OPSGRAPH_JSON_SCHEMA_VERSION) {
    return make_error(errc::invalid_argument, std::string(name) + ": schema_version " +
                                                  std::to_string(*body.value().schema_version) +
                                                  " is not " +
                                                  std::to_string(OPSGRAPH_JSON_SCHEMA_VERSION));
  }
  return body;
}

}  // namespace

result<engine::ExecuteRequest> parse_execute_request(const char* json, std::string_view name) {
  if (json == nullptr)
    return make_error(errc::invalid_argument, std::string(name) + " is NULL");
  OPSGRAPH_TRY(auto body, decode_body<ExecuteBody>(json, name));
  engine::ExecuteRequest request;
  request.request = std::move(body.request);
  request.require_approval = body.require_approval;
  request.context = std::move(body.context);
  request.language = body.language;
  request.requester = std::move(body.requester);
  request.idempotency_key = std::move(body.idempotency_key);
  return request;
}

result<engine::ApproveRequest> parse_approve_request(const char* json, std::string_view name) {
  OPSGRAPH_TRY(auto body, decode_body<ApproveBody>(json, name));
  engine::ApproveRequest request;
  request.actor = std::move(body.actor);
  request.comment = std::move(body.comment);
  request.hash = std::move(body.hash);
  return request;
}

result<engine::RejectRequest> parse_reject_request(const char* json, std::string_view name) {
  OPSGRAPH_TRY(auto body, decode_body<RejectBody>(json, name));
  engine::RejectRequest request;
  request.actor = std::move(body.actor);
  request.reason = std::move(body.reason);
  return request;
}

result<engine::TaskQuery> parse_task_query(const char* json, std::string_view name) {
  OPSGRAPH_TRY(auto body, decode_body<QueryBody>(json, name));
  engine::TaskQuery query;
  query.statuses = std::move(body.statuses);
  query.requester = std::move(body.requester);
  query.limit = body.limit;
  query.cursor = std::move(body.cursor);
  return query;
}

std::string task_document(const coordinator::TaskSnapshot& task) {
  return with_schema_version(json::encode(task));
}

std::string page_document(const engine::TaskPage& page) {
  return with_schema_version(json::encode(page));
}

std::string events_document(std::span<const store::TaskEvent> events) {
  json::Array array;
  array.reserve(events.size());
  for (const auto& event : events)
    array.push_back(engine::event_json(event));
  return json::dump(
      json::Object{{"schema_version", OPSGRAPH_JSON_SCHEMA_VERSION}, {"events", std::move(array)}});
}

std::string event_document(const store::TaskEvent& event) {
  return with_schema_version(json::dump(engine::event_json(event)));
}

}  // namespace opsgraph::capi
