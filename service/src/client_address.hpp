#pragma once
// Who sent a request: the connecting peer, or, when that peer is a reverse proxy the operator
// trusts, the client the proxy names in X-Forwarded-For. Only the access log records it; nothing
// is authorised by an address.

#include <opsgraph/core/result.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace opsgraph::service {

class TrustedProxies {
 public:
  /// The proxies of ServiceConfig::trusted_proxies. Errors: invalid_argument naming an entry
  /// that is not an IPv4 or IPv6 address.
  static result<TrustedProxies> parse(const std::vector<std::string>& addresses);

  /// The client of a request from `peer` that carried `forwarded_for` (an X-Forwarded-For value):
  /// `peer` unless it is a trusted proxy; else, reading the header from the right (each proxy
  /// appends the address it saw), the first address that is not a trusted proxy, or the leftmost
  /// when every one is. An entry that is not an address ends the reading, and then `peer` is the
  /// answer: nothing the client could have written itself is believed.
  std::string client_of(std::string_view peer, std::optional<std::string_view> forwarded_for) const;

 private:
  bool trusted(std::string_view normalized) const;

  // Normalized ("::1", "10.0.0.1"), as the server reports peers.
  std::vector<std::string> addresses_;
};

}  // namespace opsgraph::service
