#pragma once
// Who is calling: the API key in `Authorization: Bearer <key>` (or `X-API-Key: <key>`), hashed
// and looked up in the KeyStore. Lookups are remembered for a while (found and unknown keys
// alike), so a steady stream of requests costs a hash and a map lookup, and a flood of bad keys
// does not reach the store each time. Thread-safe.

#include <chrono>
#include <memory>
#include <mutex>
#include <opsgraph/core/blocking_pool.hpp>
#include <opsgraph/core/result.hpp>
#include <opsgraph/core/task.hpp>
#include <opsgraph/http/server.hpp>
#include <opsgraph/service/roles.hpp>
#include <opsgraph/store/key_store.hpp>
#include <string>
#include <unordered_map>

namespace opsgraph::service {

/// An authenticated caller.
struct Principal {
  std::string key_id;
  std::string key_name;
  Role role = Role::viewer;
};

class Authenticator {
 public:
  /// `ttl`: how long a lookup is trusted. `pool` runs lookups when the store blocks.
  Authenticator(std::shared_ptr<store::KeyStore> keys, std::chrono::milliseconds ttl,
                BlockingPool& pool)
      : keys_(std::move(keys)), ttl_(ttl), pool_(pool) {}

  /// The caller of `request`. Errors: unauthorized (no key, or an unknown or revoked one),
  /// storage (the store failed).
  Task<result<Principal>> authenticate(const http::Request& request);

  /// Forgets what was remembered of the key `key_id` (it was just revoked here).
  void forget(std::string_view key_id);

 private:
  using Clock = std::chrono::steady_clock;
  struct Remembered {
    /// Null for a key the store does not know (or a revoked one).
    std::shared_ptr<const Principal> principal;
    Clock::time_point until;
  };

  Task<result<std::optional<store::ApiKey>>> lookup(std::string hash);
  std::shared_ptr<const Principal> recall(const std::string& hash, Clock::time_point now,
                                          bool& known);
  void remember(const std::string& hash, std::shared_ptr<const Principal> principal,
                Clock::time_point now);

  std::shared_ptr<store::KeyStore> keys_;
  const std::chrono::milliseconds ttl_;
  BlockingPool& pool_;
  std::mutex mutex_;
  std::unordered_map<std::string, Remembered> remembered_;
};

}  // namespace opsgraph::service
