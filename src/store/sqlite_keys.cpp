// SqliteStore as a KeyStore: API keys in the api_keys table (schema versions 2 and 3), unique by id
// and by secret hash.
#include <opsgraph/store/sqlite_store.hpp>

#include "store/sqlite_store_impl.hpp"
#include "store/validation.hpp"

// The columns read_key() expects, in its order.
#define OPSGRAPH_SQLITE_KEY_COLUMNS \
  "id, name, role, secret_hash, created_by, created_at, revoked_at, revoked_by"

namespace opsgraph::store {
namespace detail {
namespace {

constexpr std::string_view kAdd = "add api key";
constexpr std::string_view kRevoke = "revoke api key";

ApiKey read_key(const Statement& row) {
  ApiKey key{row.text(0), row.text(1),           row.text(2),  row.text(3),
             row.text(4), from_ms(row.int64(5)), std::nullopt, {}};
  if (!row.is_null(6))
    key.revoked_at = from_ms(row.int64(6));
  if (!row.is_null(7))
    key.revoked_by = row.text(7);
  return key;
}

// Whether a stored key has this id (true) or, failing that, this hash (false); nullopt when
// neither is taken.
result<std::optional<bool>> taken(Connection& connection, const ApiKey& key) {
  OPSGRAPH_TRY(auto stmt, connection.prepare("SELECT max(id = ?1) FROM api_keys "
                                             "WHERE id = ?1 OR secret_hash = ?2",
                                             kAdd));
  stmt.bind(1, key.id).bind(2, key.secret_hash);
  OPSGRAPH_TRY(stmt.step());
  if (stmt.is_null(0))
    return std::optional<bool>{};
  return std::optional<bool>{stmt.int64(0) != 0};
}

result<void> insert_key(Connection& connection, const ApiKey& key) {
  OPSGRAPH_TRY(auto stmt, connection.prepare("INSERT INTO api_keys (" OPSGRAPH_SQLITE_KEY_COLUMNS
                                             ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, NULL, NULL)",
                                             kAdd));
  stmt.bind(1, key.id)
      .bind(2, key.name)
      .bind(3, key.role)
      .bind(4, key.secret_hash)
      .bind(5, key.created_by)
      .bind(6, to_ms(key.created_at));
  return stmt.run();
}

// Stamps the key revoked by `actor` at `now` unless it already was; the key as stored, or nullopt
// when there is no such key.
result<std::optional<ApiKey>> mark_revoked(Connection& connection, std::string_view id,
                                           std::string_view actor, TimePoint now) {
  // SET reads the row as it was, so both columns see the same "not yet revoked".
  OPSGRAPH_TRY(
      auto stmt,
      connection.prepare("UPDATE api_keys SET revoked_at = coalesce(revoked_at, ?2), "
                         "revoked_by = CASE WHEN revoked_at IS NULL THEN ?3 ELSE revoked_by END "
                         "WHERE id = ?1 RETURNING " OPSGRAPH_SQLITE_KEY_COLUMNS,
                         kRevoke));
  stmt.bind(1, id).bind(2, to_ms(now)).bind(3, actor);
  OPSGRAPH_TRY(bool row, stmt.step());
  if (!row)
    return std::optional<ApiKey>{};
  return std::optional<ApiKey>{read_key(stmt)};
}

}  // namespace
}  // namespace detail

result<ApiKey> SqliteStore::add_key(ApiKey key) {
  OPSGRAPH_TRY(detail::check_new_key(key));
  std::lock_guard lock(impl_->mutex);
  auto& connection = *impl_->connection;
  OPSGRAPH_TRY(auto transaction, detail::WriteTransaction::begin(connection, detail::kAdd));
  // The write lock is held: nothing can take the id or hash between this check and the insert.
  OPSGRAPH_TRY(auto id_taken, detail::taken(connection, key));
  if (id_taken)
    return fail(detail::key_conflict(key.id, *id_taken));
  key.created_at = impl_->clock.now();
  key.revoked_at.reset();
  key.revoked_by.clear();
  OPSGRAPH_TRY(detail::insert_key(connection, key));
  OPSGRAPH_TRY(transaction.commit());
  return key;
}

result<std::optional<ApiKey>> SqliteStore::find_key(std::string_view secret_hash) {
  OPSGRAPH_TRY(detail::check_secret_hash(secret_hash));
  std::lock_guard lock(impl_->mutex);
  OPSGRAPH_TRY(auto stmt, impl_->connection->prepare("SELECT " OPSGRAPH_SQLITE_KEY_COLUMNS
                                                     " FROM api_keys WHERE secret_hash = ?1",
                                                     "find api key"));
  stmt.bind(1, secret_hash);
  OPSGRAPH_TRY(bool row, stmt.step());
  if (!row)
    return std::optional<ApiKey>{};
  return std::optional<ApiKey>{detail::read_key(stmt)};
}

result<std::vector<ApiKey>> SqliteStore::list_keys() {
  std::lock_guard lock(impl_->mutex);
  OPSGRAPH_TRY(auto stmt, impl_->connection->prepare("SELECT " OPSGRAPH_SQLITE_KEY_COLUMNS
                                                     " FROM api_keys ORDER BY created_at, id",
                                                     "list api keys"));
  std::vector<ApiKey> keys;
  for (;;) {
    OPSGRAPH_TRY(bool row, stmt.step());
    if (!row)
      break;
    keys.push_back(detail::read_key(stmt));
  }
  return keys;
}

result<ApiKey> SqliteStore::revoke_key(std::string_view id, std::string_view actor) {
  OPSGRAPH_TRY(detail::check_revoking_actor(actor));
  std::lock_guard lock(impl_->mutex);
  auto& connection = *impl_->connection;
  OPSGRAPH_TRY(auto transaction, detail::WriteTransaction::begin(connection, detail::kRevoke));
  OPSGRAPH_TRY(auto revoked, detail::mark_revoked(connection, id, actor, impl_->clock.now()));
  if (!revoked)
    return fail(detail::key_not_found(id));
  OPSGRAPH_TRY(transaction.commit());
  return std::move(*revoked);
}

}  // namespace opsgraph::store
