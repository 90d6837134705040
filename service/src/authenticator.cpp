#include "authenticator.hpp"

#include <boost/beast/core/string.hpp>
#include <opsgraph/service/api_keys.hpp>

namespace opsgraph::service {
namespace {

// Bounds the memory of remembered lookups: past this, the oldest are not worth keeping.
constexpr std::size_t kMaxRemembered = 100'000;

std::optional<std::string_view> presented_key(const http::Request& request) {
  if (auto header = request.header("authorization")) {
    constexpr std::string_view kBearer = "Bearer ";
    if (header->size() > kBearer.size() &&
        boost::beast::iequals(header->substr(0, kBearer.size()), kBearer))
      return header->substr(kBearer.size());
    return std::nullopt;
  }
  return request.header("x-api-key");
}

Error unauthorized(std::string message) {
  return make_error(errc::unauthorized, std::move(message));
}

}  // namespace

std::shared_ptr<const Principal> Authenticator::recall(const std::string& hash,
                                                       Clock::time_point now, bool& known) {
  std::lock_guard lock(mutex_);
  auto found = remembered_.find(hash);
  known = found != remembered_.end() && found->second.until > now;
  return known ? found->second.principal : nullptr;
}

void Authenticator::remember(const std::string& hash, std::shared_ptr<const Principal> principal,
                             Clock::time_point now) {
  std::lock_guard lock(mutex_);
  if (remembered_.size() >= kMaxRemembered)
    std::erase_if(remembered_, [now](const auto& entry) { return entry.second.until <= now; });
  if (remembered_.size() >= kMaxRemembered)
    remembered_.clear();
  remembered_[hash] = Remembered{std::move(principal), now + ttl_};
}

void Authenticator::forget(std::string_view key_id) {
  std::lock_guard lock(mutex_);
  std::erase_if(remembered_, [key_id](const auto& entry) {
    return entry.second.principal && entry.second.principal->key_id == key_id;
  });
}

Task<result<std::optional<store::ApiKey>>> Authenticator::lookup(std::string hash) {
  if (!keys_->blocking())
    co_return keys_->find_key(hash);
  auto job = pool_.run([keys = keys_, hash = std::move(hash)] { return keys->find_key(hash); });
  auto found = co_await std::move(job);
  co_return found;
}

Task<result<Principal>> Authenticator::authenticate(const http::Request& request) {
  const auto key = presented_key(request);
  if (!key || key->empty()) {
    co_return unauthorized(
        "an API key is required: send `Authorization: Bearer <key>` (make one with `opsgraph keys "
        "create`)");
  }
  auto hash = secret_hash(*key);
  const auto now = Clock::now();
  bool known = false;
  auto principal = recall(hash, now, known);
  if (!known) {
    auto job = lookup(hash);
    auto found = co_await std::move(job);
    if (!found)
      co_return found.error();
    const auto& stored = found.value();
    const auto role = stored ? parse_role(stored->role) : std::nullopt;
    if (stored && !stored->revoked_at && role)
      principal = std::make_shared<const Principal>(Principal{stored->id, stored->name, *role});
    remember(hash, principal, now);
  }
  if (!principal)
    co_return unauthorized("the API key is unknown or revoked");
  co_return *principal;
}

}  // namespace opsgraph::service
