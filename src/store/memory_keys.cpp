#include "store/memory_keys.hpp"

#include <algorithm>
#include <utility>

#include "store/validation.hpp"

namespace opsgraph::store::detail {

result<ApiKey> KeyTable::add(ApiKey key, TimePoint now) {
  if (by_id_.contains(key.id))
    return fail(key_conflict(key.id, true));
  if (ids_by_hash_.contains(key.secret_hash))
    return fail(key_conflict(key.id, false));
  key.created_at = now;
  key.revoked_at.reset();
  key.revoked_by.clear();
  ids_by_hash_.emplace(key.secret_hash, key.id);
  auto id = key.id;
  return by_id_.emplace(std::move(id), std::move(key)).first->second;
}

std::optional<ApiKey> KeyTable::find(std::string_view secret_hash) const {
  auto known = ids_by_hash_.find(secret_hash);
  if (known == ids_by_hash_.end())
    return std::nullopt;
  return by_id_.at(known->second);
}

std::vector<ApiKey> KeyTable::list() const {
  std::vector<ApiKey> keys;
  keys.reserve(by_id_.size());
  for (const auto& [id, key] : by_id_)
    keys.push_back(key);
  // by_id_ is in id order already, so a stable sort by time leaves ties in id order.
  std::stable_sort(keys.begin(), keys.end(),
                   [](const ApiKey& a, const ApiKey& b) { return a.created_at < b.created_at; });
  return keys;
}

result<ApiKey> KeyTable::revoke(std::string_view id, std::string_view actor, TimePoint now) {
  auto it = by_id_.find(id);
  if (it == by_id_.end())
    return fail(key_not_found(id));
  auto& key = it->second;
  if (!key.revoked_at) {
    key.revoked_at = now;
    key.revoked_by = actor;
  }
  return key;
}

}  // namespace opsgraph::store::detail
