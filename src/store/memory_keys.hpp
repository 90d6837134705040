#pragma once
// MemoryStore's API keys: a table indexed by id and by secret hash. Not thread-safe: MemoryStore
// guards it with its mutex. Arguments are checked by the caller (validation.hpp).

#include <map>
#include <opsgraph/core/clock.hpp>
#include <opsgraph/core/result.hpp>
#include <opsgraph/store/key_store.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace opsgraph::store::detail {

class KeyTable {
 public:
  /// Stores `key` created at `now`, not revoked. Errors: conflict (id or hash taken).
  result<ApiKey> add(ApiKey key, TimePoint now);

  std::optional<ApiKey> find(std::string_view secret_hash) const;

  /// Every key, oldest first (created_at, then id).
  std::vector<ApiKey> list() const;

  /// Marks the key revoked by `actor` at `now` unless it already is. Errors: not_found.
  result<ApiKey> revoke(std::string_view id, std::string_view actor, TimePoint now);

 private:
  std::map<std::string, ApiKey, std::less<>> by_id_;
  std::map<std::string, std::string, std::less<>> ids_by_hash_;
};

}  // namespace opsgraph::store::detail
