#pragma once
// The one place where libpq failures (SQLSTATE codes, lost connections) become opsgraph::Error.

#include <opsgraph/core/error.hpp>
#include <string_view>

struct pg_conn;
struct pg_result;

namespace opsgraph::store::detail::pg {

/// Classifies a failed query by its SQLSTATE: lost connections, server shutdowns, serialization
/// failures, deadlocks and lock timeouts are retryable storage errors; integrity violations are
/// conflicts; data exceptions (an invalid UTF-8 byte, a NUL in text) are invalid arguments; a
/// query the server cannot run (syntax, undefined objects) is internal; disk full and the rest
/// are storage errors that retrying will not fix. A null `result` or one without a SQLSTATE means
/// the connection failed: retryable storage. The message names `operation` and carries the
/// server's primary message (never the conninfo, which may hold a password).
Error pg_error(const pg_result* result, pg_conn* conn, std::string_view operation);

/// A failure to connect: retryable storage, unless the server refused our credentials or
/// database, which retrying will not fix.
Error connect_error(pg_conn* conn, std::string_view reason);

/// The SQLSTATE of a failed query ("" when none).
std::string_view sqlstate(const pg_result* result) noexcept;

/// Whether `error` came from pg_error() with this SQLSTATE.
bool has_sqlstate(const Error& error, std::string_view state) noexcept;

inline constexpr std::string_view kUniqueViolation = "23505";
inline constexpr std::string_view kForeignKeyViolation = "23503";

}  // namespace opsgraph::store::detail::pg
