#include <openssl/evp.h>

#include <array>
#include <memory>
#include <opsgraph/core/sha256.hpp>

namespace opsgraph {
namespace {

// SHA-256 fetched from OpenSSL's providers once: EVP_sha256() would make every digest fetch it
// again, taking a lock that all threads share.
const EVP_MD* sha256_md() {
  static const EVP_MD* const md = [] {
    const EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    return fetched ? fetched : EVP_sha256();
  }();
  return md;
}

struct ContextFree {
  void operator()(EVP_MD_CTX* context) const noexcept { EVP_MD_CTX_free(context); }
};

}  // namespace

std::string sha256_hex(std::string_view bytes) {
  // One context per thread, reset by each digest: no allocation per call.
  thread_local const std::unique_ptr<EVP_MD_CTX, ContextFree> context(EVP_MD_CTX_new());
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  // These fail only when memory runs out, which the rest of the library treats as fatal too.
  EVP_DigestInit_ex2(context.get(), sha256_md(), nullptr);
  EVP_DigestUpdate(context.get(), bytes.data(), bytes.size());
  EVP_DigestFinal_ex(context.get(), digest.data(), &length);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * length);
  for (unsigned int i = 0; i < length; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 0x0f]);
  }
  return hex;
}

std::string content_hash(std::string_view bytes) {
  return "sha256:" + sha256_hex(bytes);
}

}  // namespace opsgraph
