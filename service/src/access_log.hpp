#pragma once
// The JSON-lines access log: one object per answered request, written whole (line-buffered) so
// that `tail -f` and log shippers see complete lines. Thread-safe.

#include <cstdio>
#include <memory>
#include <mutex>
#include <opsgraph/core/result.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "client_address.hpp"

namespace opsgraph::service {

struct AccessEntry {
  /// The connecting peer, and the X-Forwarded-For header it sent, if any.
  std::string_view peer;
  std::optional<std::string_view> forwarded_for;
  std::string_view method;
  std::string_view path;
  /// The route's pattern, "" when none matched.
  std::string_view route;
  int status = 0;
  double seconds = 0;
  std::size_t response_bytes = 0;
  /// The caller's key id, "" when unauthenticated.
  std::string_view key_id;
};

class AccessLog {
 public:
  /// `target`: "-" for standard output, else a file appended to; requests from `proxies` are
  /// logged with the client they forward for. Errors: not_found (the file cannot be opened).
  static result<std::unique_ptr<AccessLog>> open(const std::string& target, TrustedProxies proxies);
  ~AccessLog();
  AccessLog(const AccessLog&) = delete;
  AccessLog& operator=(const AccessLog&) = delete;

  void write(const AccessEntry& entry);

 private:
  AccessLog(std::FILE* file, bool owned, TrustedProxies proxies)
      : file_(file), owned_(owned), proxies_(std::move(proxies)) {}
  std::mutex mutex_;
  std::FILE* file_;
  bool owned_;
  TrustedProxies proxies_;
};

}  // namespace opsgraph::service
