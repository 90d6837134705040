// PostgresStore as a KeyStore: API keys in the api_keys table (schema migrations 2 and 3), unique
// by id and by secret hash. Every call is one statement, atomic by itself.
#include <opsgraph/store/postgres_store.hpp>

#include "store/postgres/pg_store_impl.hpp"
#include "store/validation.hpp"

// The columns read_key() expects, in its order.
#define OPSGRAPH_PG_KEY_COLUMNS \
  "id, name, role, secret_hash, created_by, created_at, revoked_at, revoked_by"

namespace opsgraph::store {
namespace detail::pg {
namespace {

constexpr std::string_view kAdd = "add api key";
constexpr std::string_view kRevoke = "revoke api key";

ApiKey read_key(const Rows& rows, int row) {
  ApiKey key{rows.text(row, 0), rows.text(row, 1),           rows.text(row, 2), rows.text(row, 3),
             rows.text(row, 4), from_ms(rows.int64(row, 5)), std::nullopt,      {}};
  if (!rows.is_null(row, 6))
    key.revoked_at = from_ms(rows.int64(row, 6));
  if (!rows.is_null(row, 7))
    key.revoked_by = rows.text(row, 7);
  return key;
}

// Inserts the key; false when its id or hash is taken (nothing inserted). A concurrent insert of
// the same id or hash makes this wait for that transaction, so a taken value is committed by the
// time this returns false.
result<bool> insert_key(Connection& connection, const ApiKey& key) {
  Params params;
  params.add(key.id)
      .add(key.name)
      .add(key.role)
      .add(key.secret_hash)
      .add(key.created_by)
      .add(to_ms(key.created_at));
  OPSGRAPH_TRY(auto rows, connection.query("INSERT INTO api_keys (" OPSGRAPH_PG_KEY_COLUMNS
                                           ") VALUES ($1, $2, $3, $4, $5, $6, NULL, NULL) "
                                           "ON CONFLICT DO NOTHING RETURNING 1",
                                           params, kAdd));
  return !rows.empty();
}

// Why an insert stored nothing: the id is taken, or else the hash is.
Error explain_missed_insert(Connection& connection, const ApiKey& key) {
  auto rows = connection.query("SELECT EXISTS (SELECT 1 FROM api_keys WHERE id = $1)",
                               Params().add(key.id), kAdd);
  if (!rows)
    return rows.error();
  return key_conflict(key.id, rows.value().boolean(0, 0));
}

}  // namespace
}  // namespace detail::pg

result<ApiKey> PostgresStore::add_key(ApiKey key) {
  OPSGRAPH_TRY(detail::check_new_key(key));
  OPSGRAPH_TRY(auto connection, impl_->pool.acquire(detail::pg::kAdd));
  key.created_at = impl_->clock.now();
  key.revoked_at.reset();
  key.revoked_by.clear();
  OPSGRAPH_TRY(bool inserted, detail::pg::insert_key(*connection, key));
  if (!inserted)
    return fail(detail::pg::explain_missed_insert(*connection, key));
  return key;
}

result<std::optional<ApiKey>> PostgresStore::find_key(std::string_view secret_hash) {
  OPSGRAPH_TRY(detail::check_secret_hash(secret_hash));
  constexpr std::string_view kOperation = "find api key";
  OPSGRAPH_TRY(auto connection, impl_->pool.acquire(kOperation));
  OPSGRAPH_TRY(auto rows, connection->query("SELECT " OPSGRAPH_PG_KEY_COLUMNS
                                            " FROM api_keys WHERE secret_hash = $1",
                                            detail::pg::Params().add(secret_hash), kOperation));
  if (rows.empty())
    return std::optional<ApiKey>{};
  return std::optional<ApiKey>{detail::pg::read_key(rows, 0)};
}

result<std::vector<ApiKey>> PostgresStore::list_keys() {
  constexpr std::string_view kOperation = "list api keys";
  OPSGRAPH_TRY(auto connection, impl_->pool.acquire(kOperation));
  OPSGRAPH_TRY(auto rows, connection->query("SELECT " OPSGRAPH_PG_KEY_COLUMNS
                                            " FROM api_keys ORDER BY created_at, id",
                                            detail::pg::Params(), kOperation));
  std::vector<ApiKey> keys;
  keys.reserve(static_cast<std::size_t>(rows.size()));
  for (int row = 0; row < rows.size(); ++row)
    keys.push_back(detail::pg::read_key(rows, row));
  return keys;
}

result<ApiKey> PostgresStore::revoke_key(std::string_view id, std::string_view actor) {
  OPSGRAPH_TRY(detail::check_revoking_actor(actor));
  OPSGRAPH_TRY(auto connection, impl_->pool.acquire(detail::pg::kRevoke));
  detail::pg::Params params;
  params.add(id).add(detail::pg::to_ms(impl_->clock.now())).add(actor);
  // The row lock of the UPDATE orders concurrent revokes: the first one's time and actor stay.
  // SET reads the row as it was, so both columns see the same "not yet revoked".
  OPSGRAPH_TRY(auto rows,
               connection->query("UPDATE api_keys SET revoked_at = coalesce(revoked_at, $2), "
                                 "revoked_by = CASE WHEN revoked_at IS NULL THEN $3 "
                                 "ELSE revoked_by END "
                                 "WHERE id = $1 RETURNING " OPSGRAPH_PG_KEY_COLUMNS,
                                 params, detail::pg::kRevoke));
  if (rows.empty())
    return fail(detail::key_not_found(id));
  return detail::pg::read_key(rows, 0);
}

}  // namespace opsgraph::store
