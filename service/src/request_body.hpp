#pragma once
// Reading a request's JSON body into a typed struct: the content type checked, unknown members
// refused, and errors that say which field failed (400 for text that is not JSON, 422 for JSON
// of the wrong shape, 415 for another content type).

#include <opsgraph/core/json_codec.hpp>
#include <opsgraph/core/result.hpp>
#include <opsgraph/http/server.hpp>

namespace opsgraph::service {

/// Errors: unsupported_media_type, invalid_argument (with details.path for a field).
result<void> check_json_content(const http::Request& request, bool body_required);

/// Turns a decode failure into the error the client sees: malformed JSON keeps no path and says
/// so; a field error keeps its path.
Error body_error(Error decode_error);

/// The body as a T; an empty body is T{} when `body_required` is false.
template <class T>
result<T> read_body(const http::Request& request, bool body_required) {
  OPSGRAPH_TRY(check_json_content(request, body_required));
  if (request.body().empty())
    return T{};
  auto decoded = json::decode<T>(request.body());
  if (!decoded)
    return body_error(std::move(decoded).error());
  return decoded;
}

}  // namespace opsgraph::service
