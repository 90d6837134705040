#include "client_address.hpp"

#include <algorithm>
#include <boost/asio/ip/address.hpp>

namespace opsgraph::service {
namespace {

// `text` without surrounding blanks.
std::string_view trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos)
    return {};
  const auto last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

// The address in its normal written form, or nullopt when `text` is not one.
std::optional<std::string> normalized(std::string_view text) {
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(std::string(text), ec);
  if (ec)
    return std::nullopt;
  return address.to_string();
}

}  // namespace

result<TrustedProxies> TrustedProxies::parse(const std::vector<std::string>& addresses) {
  TrustedProxies proxies;
  for (const auto& text : addresses) {
    auto address = normalized(trimmed(text));
    if (!address) {
      return fail(errc::invalid_argument,
                  "server.trusted_proxies: \"" + text + "\" is not an IPv4 or IPv6 address");
    }
    proxies.addresses_.push_back(std::move(*address));
  }
  return proxies;
}

bool TrustedProxies::trusted(std::string_view address) const {
  return std::find(addresses_.begin(), addresses_.end(), address) != addresses_.end();
}

std::string TrustedProxies::client_of(std::string_view peer,
                                      std::optional<std::string_view> forwarded_for) const {
  if (!forwarded_for || !trusted(peer))
    return std::string(peer);
  std::string_view rest = *forwarded_for;
  std::optional<std::string> leftmost;
  while (!rest.empty()) {
    const auto comma = rest.rfind(',');
    const auto entry = trimmed(comma == std::string_view::npos ? rest : rest.substr(comma + 1));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(0, comma);
    auto address = normalized(entry);
    if (!address)
      return std::string(peer);
    if (!trusted(*address))
      return std::move(*address);
    leftmost = std::move(address);
  }
  return leftmost ? std::move(*leftmost) : std::string(peer);
}

}  // namespace opsgraph::service
