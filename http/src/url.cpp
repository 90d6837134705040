#include <opsgraph/http/server.hpp>

namespace opsgraph::http {

namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string_view Request::path() const {
  const auto whole = target();
  return whole.substr(0, whole.find('?'));
}

std::string_view Request::query() const {
  const auto whole = target();
  const auto mark = whole.find('?');
  return mark == std::string_view::npos ? std::string_view{} : whole.substr(mark + 1);
}

result<std::string> url_decode(std::string_view text) {
  std::string decoded;
  decoded.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+') {
      decoded += ' ';
    } else if (c != '%') {
      decoded += c;
    } else {
      const int high = i + 2 < text.size() ? hex_digit(text[i + 1]) : -1;
      const int low = high >= 0 ? hex_digit(text[i + 2]) : -1;
      if (low < 0)
        return fail(errc::invalid_argument, "malformed percent escape at offset " +
                                                std::to_string(i) + " of '" + std::string(text) +
                                                "'");
      decoded += static_cast<char>(high * 16 + low);
      i += 2;
    }
  }
  return decoded;
}

result<std::vector<std::pair<std::string, std::string>>> parse_query(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> pairs;
  while (!query.empty()) {
    const auto end = query.find('&');
    const auto part = query.substr(0, end);
    query = end == std::string_view::npos ? std::string_view{} : query.substr(end + 1);
    if (part.empty())
      continue;
    const auto equals = part.find('=');
    OPSGRAPH_TRY(auto name, url_decode(part.substr(0, equals)));
    std::string value;
    if (equals != std::string_view::npos) {
      OPSGRAPH_TRY(value, url_decode(part.substr(equals + 1)));
    }
    pairs.emplace_back(std::move(name), std::move(value));
  }
  return pairs;
}

}  // namespace opsgraph::http
