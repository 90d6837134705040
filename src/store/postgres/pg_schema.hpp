#pragma once
// The PostgreSQL store's schema: the migrations that bring a schema from any older version to
// kPostgresSchemaVersion, each recorded in opsgraph_schema_migrations, applied under an advisory
// lock so that processes starting together apply them once.

#include <opsgraph/core/clock.hpp>
#include <opsgraph/core/result.hpp>
#include <string>
#include <string_view>

#include "store/postgres/pg_connection.hpp"

namespace opsgraph::store::detail::pg {

/// The channel of the work notifications; the payload is the schema name.
inline constexpr std::string_view kWorkChannel = "opsgraph_work";

/// Whether `schema` is a lowercase identifier that needs no escaping. Errors: invalid_argument.
result<void> check_schema_name(std::string_view schema);

/// The highest migration recorded in the connection's schema; 0 when it has no opsgraph tables.
result<int> schema_version(Connection& connection, const std::string& schema);

/// Creates the schema when missing and applies the migrations it lacks, in one transaction
/// holding pg_advisory_xact_lock for this schema. Errors: storage (not retryable) when the
/// schema is newer than this build knows.
result<void> migrate(Connection& connection, const std::string& schema, TimePoint now);

}  // namespace opsgraph::store::detail::pg
