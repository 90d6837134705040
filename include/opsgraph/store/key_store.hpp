#pragma once
// opsgraph::store::KeyStore — the API keys of an HTTP service: who may call it, with which role.
// A key's secret is never stored: only its SHA-256, so a leaked database grants nothing. The
// store knows nothing of what roles mean; it keeps them as words.
//
// Implementations are thread-safe. Calls may block on I/O when blocking() is true; callers on an
// io thread then make them from a BlockingPool. MemoryStore, SqliteStore and PostgresStore are
// each a TaskStore, a Checkpointer and a KeyStore.

#include <cstddef>
#include <opsgraph/core/clock.hpp>
#include <opsgraph/core/result.hpp>
#include <opsgraph/export.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace opsgraph::store {

/// The longest key id, name, role or actor accepted, in bytes.
inline constexpr std::size_t kMaxKeyFieldBytes = 256;

struct ApiKey {
  /// The key's public name in audit events and revocations ("key_0193a0e4..."). Unique.
  std::string id;
  /// What the key is for ("ci", "alice's laptop"); may repeat.
  std::string name;
  /// "viewer", "operator", "approver" or "admin" as the service uses them.
  std::string role;
  /// "sha256:" and 64 lower-case hex digits of the secret. Unique.
  std::string secret_hash;
  /// Who created it (an actor, such as another key's id, or "cli").
  std::string created_by;
  /// Stamped by the store when add_key() stores the key.
  TimePoint created_at{};
  /// Set by revoke_key(); a revoked key authenticates nothing.
  std::optional<TimePoint> revoked_at{};
  /// Who revoked it (an actor, as created_by); empty while the key is live, and for a key revoked
  /// before stores recorded who (SQLite and PostgreSQL schema version 2).
  std::string revoked_by{};
};

class OPSGRAPH_API KeyStore {
 public:
  virtual ~KeyStore() = default;

  /// Stores a new key, created_at stamped with the store's clock (revoked_at and revoked_by are
  /// ignored), and returns it as stored. Errors: invalid_argument (an empty or oversized id, name,
  /// role or created_by, or one holding a NUL byte; a hash not of the form above), conflict (the id
  /// or the hash is already stored, revoked or not); on any error nothing is stored.
  virtual result<ApiKey> add_key(ApiKey key) = 0;

  /// The key whose secret hashes to `secret_hash`, revoked or not; nullopt when none does.
  /// Errors: invalid_argument (a malformed hash).
  virtual result<std::optional<ApiKey>> find_key(std::string_view secret_hash) = 0;

  /// Every key, revoked ones included, oldest first (created_at, then id bytewise).
  virtual result<std::vector<ApiKey>> list_keys() = 0;

  /// Revokes the key with `id` on behalf of `actor` (revoked_at stamped with the store's clock,
  /// revoked_by = actor) and returns it. Revoking a revoked key changes nothing and returns it as
  /// it is: the first revocation's time and actor stay. Errors: invalid_argument (an empty or
  /// oversized actor, or one holding a NUL byte), not_found.
  virtual result<ApiKey> revoke_key(std::string_view id, std::string_view actor) = 0;

  /// True when calls wait on disk or network.
  virtual bool blocking() const noexcept = 0;
};

}  // namespace opsgraph::store
