#pragma once
// The one place where SQLite result codes become opsgraph::Error.

#include <opsgraph/core/error.hpp>
#include <string_view>

struct sqlite3;

namespace opsgraph::store::detail {

/// Classifies `rc` (an extended or primary SQLite result code): busy and locked are retryable
/// storage errors; constraint violations are conflicts; a full disk, I/O errors and corruption
/// are storage errors that retrying will not fix. The message names `operation` and carries
/// sqlite3_errmsg(db) when `db` is given.
Error sqlite_error(int rc, sqlite3* db, std::string_view operation);

}  // namespace opsgraph::store::detail
