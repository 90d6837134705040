#pragma once
// Argument checks, lease rules and common errors shared by every TaskStore, Checkpointer and
// KeyStore backend, so that each backend refuses the same inputs with the same errors and agrees
// on when a lease is live.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <opsgraph/core/clock.hpp>
#include <opsgraph/core/result.hpp>
#include <opsgraph/store/checkpointer.hpp>
#include <opsgraph/store/key_store.hpp>
#include <opsgraph/store/list_query.hpp>
#include <opsgraph/store/task_record.hpp>
#include <optional>
#include <span>
#include <string_view>

#include "store/list_cursor.hpp"

namespace opsgraph::store::detail {

/// `what` ("task id", "worker"...) names the argument in the error message.
result<void> check_key(std::string_view what, std::string_view value);

result<void> check_new_task(const TaskRecord& record);

/// Events that may be appended: each type non-empty, at most kMaxKeyBytes, free of NUL bytes.
result<void> check_new_events(std::span<const NewEvent> events);

/// Checks the query and returns its decoded cursor (nullopt for the first page).
result<std::optional<CursorPosition>> check_list_query(const ListQuery& query);

result<void> check_ttl(std::chrono::milliseconds ttl);

result<void> check_event_page(std::size_t limit);

result<void> check_checkpoint(const Checkpoint& checkpoint);

/// A lease holds its task while the clock reads strictly earlier than its expiry.
inline bool is_live(const Lease& lease, TimePoint now) noexcept {
  return now < lease.expires_at;
}

/// Whether `current` is the live lease of `token`; conflict naming the reason otherwise.
result<void> check_lease_holder(std::string_view task_id, const std::optional<Lease>& current,
                                std::uint64_t token, TimePoint now);

/// The conflict of a compare-and-swap update that found `actual` instead of `expected`.
Error version_conflict(std::string_view task_id, std::uint64_t expected, std::uint64_t actual);

Error task_not_found(std::string_view task_id);

/// The conflict of a put at a step the run has already reached.
Error checkpoint_conflict(const Checkpoint& checkpoint, std::uint64_t latest_step);

/// The created_at a checkpoint is stored with: the caller's, or `now` when left at the epoch.
inline TimePoint checkpoint_time(const Checkpoint& checkpoint, TimePoint now) noexcept {
  return checkpoint.created_at == TimePoint{} ? now : checkpoint.created_at;
}

/// An ApiKey that add_key() may store: every text field non-empty, at most kMaxKeyFieldBytes and
/// free of NUL bytes, and a well-formed secret hash.
result<void> check_new_key(const ApiKey& key);

/// An actor revoke_key() may record as revoked_by: as check_new_key() wants created_by.
result<void> check_revoking_actor(std::string_view actor);

/// Whether `secret_hash` is "sha256:" followed by 64 lower-case hex digits.
result<void> check_secret_hash(std::string_view secret_hash);

/// The conflict of an add_key() whose id is taken (`id_taken`) or, else, whose hash is.
Error key_conflict(std::string_view key_id, bool id_taken);

Error key_not_found(std::string_view key_id);

}  // namespace opsgraph::store::detail
