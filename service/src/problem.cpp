#include "problem.hpp"

#include <opsgraph/core/json.hpp>
#include <string>

namespace opsgraph::service {
namespace {

constexpr std::string_view kProblemType = "application/problem+json";

json::Object problem_members(int status, std::string_view detail) {
  return json::Object{{"type", "about:blank"},
                      {"title", std::string(http::reason_phrase(status))},
                      {"status", status},
                      {"detail", std::string(detail)}};
}

}  // namespace

int status_of(errc code) noexcept {
  switch (code) {
    case errc::invalid_argument:
    case errc::context_too_long:
    case errc::content_filtered:
      return 422;
    case errc::not_found:
      return 404;
    case errc::conflict:
    case errc::cancelled:
      return 409;
    case errc::unauthorized:
      return 401;
    case errc::permission_denied:
      return 403;
    case errc::payload_too_large:
      return 413;
    case errc::unsupported_media_type:
      return 415;
    case errc::rate_limited:
      return 429;
    case errc::timeout:
      return 504;
    case errc::bad_response:
      return 502;
    case errc::upstream_unavailable:
    case errc::storage:
      return 503;
    case errc::internal:
      return 500;
  }
  return 500;
}

http::Response problem(int status, std::string_view detail) {
  return {status, std::string(kProblemType), {}, json::dump(problem_members(status, detail))};
}

http::Response problem(const Error& error) {
  // A body that is not JSON at all is a bad request; JSON of the wrong shape is unprocessable.
  const auto* malformed = error.details.find("malformed");
  const int status = malformed != nullptr ? 400 : status_of(error.code);
  auto members = problem_members(status, error.message);
  members.emplace_back("code", std::string(to_string(error.code)));
  http::Response response{status, std::string(kProblemType), {}, {}};
  if (const auto* path = error.details.find("path"); path != nullptr && path->is_string()) {
    members.emplace_back("errors",
                         json::Array{json::Object{{"path", *path}, {"detail", error.message}}});
  }
  if (const auto* after = error.details.find("retry_after_seconds"); after && after->is_number())
    response.headers.emplace_back("Retry-After",
                                  std::to_string(static_cast<long long>(after->as_double())));
  if (error.code == errc::unauthorized)
    response.headers.emplace_back("WWW-Authenticate", "Bearer");
  response.body = json::dump(json::Value(std::move(members)));
  return response;
}

}  // namespace opsgraph::service
