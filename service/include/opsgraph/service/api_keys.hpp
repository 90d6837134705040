#pragma once
// Making API keys: 32 random bytes from the kernel, shown once as "og_" and 43 base64url
// characters; the store keeps only "sha256:<hex>" of that text, so a copied database grants
// nothing. `opsgraph keys create` and POST /api/v1/keys both make keys here.

#include <opsgraph/core/json_value.hpp>
#include <opsgraph/core/result.hpp>
#include <opsgraph/service/roles.hpp>
#include <opsgraph/store/key_store.hpp>
#include <string>
#include <string_view>

namespace opsgraph::service {

/// A key as made: the record to store and the secret to hand over once.
struct NewKey {
  store::ApiKey key;
  std::string secret;
};

/// A fresh key named `name` with `role`, made by `created_by`. Errors: invalid_argument (an empty
/// or oversized name), internal (the kernel gave no random bytes).
result<NewKey> make_key(std::string_view name, Role role, std::string_view created_by);

/// What the store keeps of `secret`: "sha256:" and its hex digest.
std::string secret_hash(std::string_view secret);

/// A key as `opsgraph keys` and /api/v1/keys show it: id, name, role, created_by, created_at,
/// revoked_at (null while live) and revoked_by (null while live, or when the store did not record
/// who). Never its hash.
json::Value key_json(const store::ApiKey& key);

}  // namespace opsgraph::service
