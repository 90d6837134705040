#include "store/validation.hpp"

#include <algorithm>
#include <limits>
#include <opsgraph/store/task_store.hpp>
#include <string>

namespace opsgraph::store::detail {
namespace {

// Steps are stored as signed 64-bit integers by the SQL backends.
constexpr std::uint64_t kMaxStep = std::numeric_limits<std::int64_t>::max();

constexpr std::string_view kHashPrefix = "sha256:";
constexpr std::size_t kHashDigits = 64;

result<void> check_key_field(std::string_view what, std::string_view value) {
  if (value.empty())
    return fail(errc::invalid_argument, "api key " + std::string(what) + " must not be empty");
  if (value.size() > kMaxKeyFieldBytes) {
    return fail(errc::invalid_argument, "api key " + std::string(what) + " is longer than " +
                                            std::to_string(kMaxKeyFieldBytes) + " bytes");
  }
  if (value.find('\0') != std::string_view::npos) {
    return fail(errc::invalid_argument, "api key " + std::string(what) + " holds a NUL byte");
  }
  return ok();
}

bool is_lower_hex(char c) noexcept {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

}  // namespace

result<void> check_key(std::string_view what, std::string_view value) {
  if (value.empty())
    return fail(errc::invalid_argument, std::string(what) + " must not be empty");
  if (value.size() > kMaxKeyBytes) {
    return fail(errc::invalid_argument,
                std::string(what) + " is longer than " + std::to_string(kMaxKeyBytes) + " bytes");
  }
  return ok();
}

result<void> check_new_task(const TaskRecord& record) {
  OPSGRAPH_TRY(check_key("task id", record.id));
  if (record.idempotency_key) {
    OPSGRAPH_TRY(check_key("idempotency key", *record.idempotency_key));
  }
  return ok();
}

result<void> check_new_events(std::span<const NewEvent> events) {
  for (const auto& event : events) {
    OPSGRAPH_TRY(check_key("event type", event.type));
  }
  return ok();
}

result<std::optional<CursorPosition>> check_list_query(const ListQuery& query) {
  if (query.limit == 0 || query.limit > kMaxListLimit) {
    return fail(errc::invalid_argument,
                "list limit must be between 1 and " + std::to_string(kMaxListLimit));
  }
  if (query.statuses.size() > kMaxListStatuses) {
    return fail(errc::invalid_argument,
                "a list query names at most " + std::to_string(kMaxListStatuses) + " statuses");
  }
  if (query.created_since && query.created_before && *query.created_before < *query.created_since) {
    return fail(errc::invalid_argument, "list range ends before it starts");
  }
  if (query.cursor.empty())
    return std::optional<CursorPosition>{};
  OPSGRAPH_TRY(auto position, decode_cursor(query.cursor));
  return std::optional<CursorPosition>{std::move(position)};
}

result<void> check_ttl(std::chrono::milliseconds ttl) {
  if (ttl.count() <= 0 || ttl > kMaxLeaseTtl) {
    return fail(errc::invalid_argument, "lease ttl must be between 1 ms and 365 days");
  }
  return ok();
}

result<void> check_event_page(std::size_t limit) {
  if (limit == 0 || limit > kMaxEventPage) {
    return fail(errc::invalid_argument,
                "event page limit must be between 1 and " + std::to_string(kMaxEventPage));
  }
  return ok();
}

result<void> check_checkpoint(const Checkpoint& checkpoint) {
  OPSGRAPH_TRY(check_key("run id", checkpoint.run_id));
  if (checkpoint.step == 0)
    return fail(errc::invalid_argument, "checkpoint steps start at 1");
  if (checkpoint.step > kMaxStep) {
    return fail(errc::invalid_argument, "checkpoint step is larger than 2^63 - 1");
  }
  return ok();
}

result<void> check_lease_holder(std::string_view task_id, const std::optional<Lease>& current,
                                std::uint64_t token, TimePoint now) {
  std::string task(task_id);
  if (!current)
    return fail(errc::conflict, "task " + task + " has no lease");
  if (current->token != token) {
    return fail(errc::conflict, "lease " + std::to_string(token) + " of task " + task +
                                    " was superseded by lease " + std::to_string(current->token));
  }
  if (!is_live(*current, now)) {
    return fail(errc::conflict, "lease " + std::to_string(token) + " of task " + task +
                                    " expired at " + format_timestamp(current->expires_at));
  }
  return ok();
}

Error version_conflict(std::string_view task_id, std::uint64_t expected, std::uint64_t actual) {
  json::Value details;
  details.set("expected_version", expected);
  details.set("actual_version", actual);
  return make_error(errc::conflict,
                    "task " + std::string(task_id) + " is at version " + std::to_string(actual) +
                        ", not " + std::to_string(expected),
                    std::move(details));
}

Error task_not_found(std::string_view task_id) {
  return make_error(errc::not_found, "no task " + std::string(task_id));
}

Error checkpoint_conflict(const Checkpoint& checkpoint, std::uint64_t latest_step) {
  return make_error(errc::conflict, "run " + checkpoint.run_id + " already has step " +
                                        std::to_string(latest_step) + ", cannot write step " +
                                        std::to_string(checkpoint.step));
}

result<void> check_new_key(const ApiKey& key) {
  OPSGRAPH_TRY(check_key_field("id", key.id));
  OPSGRAPH_TRY(check_key_field("name", key.name));
  OPSGRAPH_TRY(check_key_field("role", key.role));
  OPSGRAPH_TRY(check_key_field("created_by", key.created_by));
  return check_secret_hash(key.secret_hash);
}

result<void> check_revoking_actor(std::string_view actor) {
  return check_key_field("revoked_by", actor);
}

result<void> check_secret_hash(std::string_view secret_hash) {
  bool valid =
      secret_hash.size() == kHashPrefix.size() + kHashDigits &&
      secret_hash.starts_with(kHashPrefix) &&
      std::all_of(secret_hash.begin() + kHashPrefix.size(), secret_hash.end(), is_lower_hex);
  if (!valid) {
    // The hash itself stays out of the message: it identifies a credential.
    return fail(errc::invalid_argument,
                "an api key secret hash must be \"sha256:\" and 64 lower-case hex digits");
  }
  return ok();
}

Error key_conflict(std::string_view key_id, bool id_taken) {
  std::string id(key_id);
  if (id_taken)
    return make_error(errc::conflict, "api key " + id + " exists");
  return make_error(errc::conflict, "api key " + id + ": another key has the same secret hash");
}

Error key_not_found(std::string_view key_id) {
  return make_error(errc::not_found, "no api key " + std::string(key_id));
}

}  // namespace opsgraph::store::detail
