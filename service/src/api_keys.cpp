#include <sys/random.h>

#include <array>
#include <cerrno>
#include <cstddef>
#include <opsgraph/core/json_codec.hpp>
#include <opsgraph/core/sha256.hpp>
#include <opsgraph/service/api_keys.hpp>

namespace opsgraph::service {
namespace {

constexpr std::size_t kSecretBytes = 32;
constexpr std::size_t kIdBytes = 8;
constexpr std::string_view kSecretPrefix = "og_";
constexpr std::string_view kIdPrefix = "key_";

template <std::size_t N>
result<std::array<unsigned char, N>> random_bytes() {
  std::array<unsigned char, N> bytes{};
  std::size_t filled = 0;
  while (filled < N) {
    const auto got = getrandom(bytes.data() + filled, N - filled, 0);
    if (got < 0 && errno == EINTR)
      continue;
    if (got <= 0)
      return fail(errc::internal, "the kernel gave no random bytes for an API key");
    filled += static_cast<std::size_t>(got);
  }
  return bytes;
}

// RFC 4648 base64url without padding: a key travels in headers and shells unquoted.
std::string base64url(const unsigned char* data, std::size_t size) {
  static constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  out.reserve((size * 4 + 2) / 3);
  std::size_t i = 0;
  for (; i + 3 <= size; i += 3) {
    const unsigned v = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (const auto left = size - i; left > 0) {
    const unsigned v = (data[i] << 16) | (left == 2 ? data[i + 1] << 8 : 0);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    if (left == 2)
      out += kAlphabet[(v >> 6) & 63];
  }
  return out;
}

std::string hex(const unsigned char* data, std::size_t size) {
  static constexpr std::string_view kDigits = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    out += kDigits[data[i] >> 4];
    out += kDigits[data[i] & 15];
  }
  return out;
}

}  // namespace

json::Value key_json(const store::ApiKey& key) {
  return json::Object{
      {"id", key.id},
      {"name", key.name},
      {"role", key.role},
      {"created_by", key.created_by},
      {"created_at", json::to_value(key.created_at)},
      {"revoked_at", key.revoked_at ? json::to_value(*key.revoked_at) : json::Value()},
      {"revoked_by", key.revoked_by.empty() ? json::Value() : json::Value(key.revoked_by)}};
}

std::string secret_hash(std::string_view secret) {
  return content_hash(secret);
}

result<NewKey> make_key(std::string_view name, Role role, std::string_view created_by) {
  if (name.empty() || name.size() > store::kMaxKeyFieldBytes)
    return fail(errc::invalid_argument,
                "a key's name must be 1 to " + std::to_string(store::kMaxKeyFieldBytes) + " bytes");
  OPSGRAPH_TRY(auto secret_bytes, random_bytes<kSecretBytes>());
  OPSGRAPH_TRY(auto id_bytes, random_bytes<kIdBytes>());
  NewKey made;
  made.secret = std::string(kSecretPrefix) + base64url(secret_bytes.data(), secret_bytes.size());
  made.key.id = std::string(kIdPrefix) + hex(id_bytes.data(), id_bytes.size());
  made.key.name = std::string(name);
  made.key.role = std::string(role_name(role));
  made.key.secret_hash = secret_hash(made.secret);
  made.key.created_by = std::string(created_by);
  return made;
}

}  // namespace opsgraph::service
