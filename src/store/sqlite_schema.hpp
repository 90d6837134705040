#pragma once
// The SQLite store's schema: connection settings, and the migrations that bring a file from any
// older schema version to kSqliteSchemaVersion, each recorded in opsgraph_schema_migrations.

#include <chrono>
#include <opsgraph/core/clock.hpp>
#include <opsgraph/core/result.hpp>
#include <opsgraph/store/sqlite_store.hpp>
#include <string_view>

#include "store/sqlite_connection.hpp"

namespace opsgraph::store::detail {

/// Turns on WAL and foreign keys, and sets the options' synchronous level and page cache. WAL is
/// a property of the file, so switching it on may wait (up to `busy_timeout`) for another process
/// that is opening it.
result<void> configure(Connection& connection, const SqliteOptions& options);

/// The highest migration recorded in the file; 0 for a file without opsgraph tables.
result<int> schema_version(Connection& connection);

/// Applies the migrations the file lacks in one write transaction, so two processes opening a
/// new file apply them once. Errors: storage (not retryable) when the file's schema is newer
/// than this build knows; `path` names the file in that message.
result<void> migrate(Connection& connection, std::string_view path, TimePoint now);

}  // namespace opsgraph::store::detail
