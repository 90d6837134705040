#pragma once
// Errors as HTTP answers: application/problem+json (RFC 9457) with type, title, status, detail,
// opsgraph's error code, and for a body that failed validation the JSON path of the field.

#include <opsgraph/core/error.hpp>
#include <opsgraph/http/server.hpp>
#include <string_view>

namespace opsgraph::service {

/// The HTTP status an error of `code` is answered with (422 for invalid_argument, 409 for
/// conflict, 503 for storage and upstream_unavailable, ...).
int status_of(errc code) noexcept;

/// A problem answer with `status` and `detail`.
http::Response problem(int status, std::string_view detail);

/// The problem answer of `error`: its status, its message as the detail, its code, and
/// `errors: [{path, detail}]` when its details name a path; Retry-After for rate_limited.
http::Response problem(const Error& error);

}  // namespace opsgraph::service
