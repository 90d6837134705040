#include "response_head.hpp"

#include <array>
#include <charconv>
#include <ctime>
#include <opsgraph/core/json.hpp>

namespace opsgraph::http::detail {

namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size())
    return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
    if (lower(a[i]) != lower(b[i]))
      return false;
  }
  return true;
}

bool owned_by_server(std::string_view name) {
  for (std::string_view owned :
       {"content-length", "transfer-encoding", "connection", "server", "date"}) {
    if (iequals(name, owned))
      return true;
  }
  return false;
}

bool has_line_break(std::string_view text) {
  return text.find_first_of("\r\n") != std::string_view::npos;
}

void append_number(std::string& out, std::size_t value) {
  std::array<char, 24> digits{};
  const auto [end, ec] = std::to_chars(digits.data(), digits.data() + digits.size(), value);
  out.append(digits.data(), end);
}

void append_two_digits(char* out, int value) {
  out[0] = static_cast<char>('0' + value / 10);
  out[1] = static_cast<char>('0' + value % 10);
}

}  // namespace

void append_head(std::string& out, std::string_view server_name, const Head& head) {
  out += "HTTP/1.1 ";
  append_number(out, static_cast<std::size_t>(head.status));
  out += ' ';
  out += reason_phrase(head.status);
  out += "\r\nServer: ";
  out += server_name;
  out += "\r\nDate: ";
  out += http_date();
  if (!head.content_type.empty() && !has_line_break(head.content_type)) {
    out += "\r\nContent-Type: ";
    out += head.content_type;
  }
  if (head.headers != nullptr) {
    for (const auto& [name, value] : *head.headers) {
      if (name.empty() || owned_by_server(name) || has_line_break(name) || has_line_break(value))
        continue;
      out += "\r\n";
      out += name;
      out += ": ";
      out += value;
    }
  }
  if (head.framing == Framing::length) {
    out += "\r\nContent-Length: ";
    append_number(out, head.content_length);
  } else if (head.framing == Framing::chunked) {
    out += "\r\nTransfer-Encoding: chunked";
  }
  if (head.close)
    out += "\r\nConnection: close";
  else if (head.http10)
    out += "\r\nConnection: keep-alive";
  out += "\r\n\r\n";
}

Response problem_response(int status, std::string_view detail) {
  json::Value problem = json::Object{};
  problem.set("type", "about:blank");
  problem.set("title", reason_phrase(status));
  problem.set("status", status);
  problem.set("detail", detail);
  return Response{.status = status,
                  .content_type = "application/problem+json",
                  .headers = {},
                  .body = json::dump(problem)};
}

std::string_view http_date() {
  static constexpr std::array<const char*, 7> kDays{"Sun", "Mon", "Tue", "Wed",
                                                    "Thu", "Fri", "Sat"};
  static constexpr std::array<const char*, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  // "Thu, 26 Nov 2026 16:00:00 GMT": 29 characters.
  thread_local std::array<char, 29> text{};
  thread_local std::time_t formatted = -1;
  const std::time_t now = std::time(nullptr);
  if (now != formatted) {
    std::tm utc{};
    gmtime_r(&now, &utc);
    char* p = text.data();
    std::copy_n(kDays[static_cast<std::size_t>(utc.tm_wday)], 3, p);
    p[3] = ',';
    p[4] = ' ';
    append_two_digits(p + 5, utc.tm_mday);
    p[7] = ' ';
    std::copy_n(kMonths[static_cast<std::size_t>(utc.tm_mon)], 3, p + 8);
    p[11] = ' ';
    const int year = utc.tm_year + 1900;
    append_two_digits(p + 12, year / 100);
    append_two_digits(p + 14, year % 100);
    p[16] = ' ';
    append_two_digits(p + 17, utc.tm_hour);
    p[19] = ':';
    append_two_digits(p + 20, utc.tm_min);
    p[22] = ':';
    append_two_digits(p + 23, utc.tm_sec);
    std::copy_n(" GMT", 4, p + 25);
    formatted = now;
  }
  return {text.data(), text.size()};
}

}  // namespace opsgraph::http::detail
