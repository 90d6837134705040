#include "store/sqlite_connection.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <thread>

#include "store/sqlite_error.hpp"
#include "store/sqlite_wal_batching.hpp"

namespace opsgraph::store::detail {

Statement::Statement(Statement&& other) noexcept
    : stmt_(other.stmt_),
      db_(other.db_),
      operation_(other.operation_),
      bind_error_(other.bind_error_) {
  other.stmt_ = nullptr;
}

Statement::~Statement() {
  if (stmt_ == nullptr)
    return;
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

Statement& Statement::bind(int index, std::int64_t value) {
  int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK && bind_error_ == 0)
    bind_error_ = rc;
  return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
  // SQLITE_TRANSIENT copies: callers may bind temporaries.
  int rc =
      sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  if (rc != SQLITE_OK && bind_error_ == 0)
    bind_error_ = rc;
  return *this;
}

Statement& Statement::bind_optional(int index, const std::optional<std::string>& value) {
  return value ? bind(index, std::string_view(*value)) : bind_null(index);
}

Statement& Statement::bind_null(int index) {
  int rc = sqlite3_bind_null(stmt_, index);
  if (rc != SQLITE_OK && bind_error_ == 0)
    bind_error_ = rc;
  return *this;
}

result<bool> Statement::step() {
  if (bind_error_ != 0)
    return fail(sqlite_error(bind_error_, db_, operation_));
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW)
    return true;
  if (rc == SQLITE_DONE)
    return false;
  return fail(sqlite_error(rc, db_, operation_));
}

result<void> Statement::run() {
  for (;;) {
    OPSGRAPH_TRY(bool row, step());
    if (!row)
      return ok();
  }
}

bool Statement::is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::int64_t Statement::int64(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

std::string Statement::text(int column) const {
  const auto* data = sqlite3_column_text(stmt_, column);
  auto size = static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column));
  if (data == nullptr)
    return {};
  return std::string(reinterpret_cast<const char*>(data), size);
}

std::optional<std::string> Statement::optional_text(int column) const {
  if (is_null(column))
    return std::nullopt;
  return text(column);
}

result<std::unique_ptr<Connection>> Connection::open(const std::string& path, bool create,
                                                     std::chrono::milliseconds busy_timeout) {
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
  if (create)
    flags |= SQLITE_OPEN_CREATE;
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, batching_wal_vfs());
  // The handle exists even when opening failed, and holds the reason.
  std::unique_ptr<Connection> connection(new Connection(db));
  if (rc != SQLITE_OK)
    return fail(sqlite_error(rc, db, "open " + path));
  sqlite3_extended_result_codes(db, 1);
  connection->busy_.timeout = busy_timeout;
  sqlite3_busy_handler(db, &Connection::on_busy, &connection->busy_);
  return connection;
}

int Connection::on_busy(void* wait, int attempts) noexcept {
  auto& busy = *static_cast<BusyWait*>(wait);
  auto now = std::chrono::steady_clock::now();
  // Attempt 0 starts a new wait; the connection is used by one thread at a time.
  if (attempts == 0)
    busy.deadline = now + busy.timeout;
  if (now >= busy.deadline)
    return 0;
  auto pause = std::chrono::microseconds{50} * (1 << std::min(attempts, 3));
  std::this_thread::sleep_for(
      std::min<std::chrono::steady_clock::duration>(pause, busy.deadline - now));
  return 1;
}

Connection::~Connection() {
  for (auto& [sql, stmt] : statements_)
    sqlite3_finalize(stmt);
  sqlite3_close_v2(db_);
}

result<Statement> Connection::prepare(std::string_view sql, std::string_view operation) {
  auto it = statements_.find(sql);
  if (it == statements_.end()) {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK)
      return fail(sqlite_error(rc, db_, operation));
    it = statements_.emplace(std::string(sql), stmt).first;
  }
  return Statement(it->second, db_, operation);
}

result<void> Connection::exec(const std::string& sql, std::string_view operation) {
  int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK)
    return fail(sqlite_error(rc, db_, operation));
  return ok();
}

result<WriteTransaction> WriteTransaction::begin(Connection& connection,
                                                 std::string_view operation) {
  OPSGRAPH_TRY(auto stmt, connection.prepare("BEGIN IMMEDIATE", operation));
  OPSGRAPH_TRY(stmt.run());
  return WriteTransaction(connection, operation);
}

WriteTransaction::WriteTransaction(WriteTransaction&& other) noexcept
    : connection_(other.connection_), operation_(other.operation_) {
  other.connection_ = nullptr;
}

WriteTransaction::~WriteTransaction() {
  if (connection_ == nullptr)
    return;
  // A failed COMMIT (or an early return) leaves the transaction open; nothing useful can be done
  // with a failed ROLLBACK, and SQLite rolls back on close anyway.
  if (sqlite3_get_autocommit(connection_->handle()) == 0) {
    if (auto stmt = connection_->prepare("ROLLBACK", operation_))
      (void)stmt.value().run();
  }
}

result<void> WriteTransaction::commit() {
  OPSGRAPH_TRY(auto stmt, connection_->prepare("COMMIT", operation_));
  OPSGRAPH_TRY(stmt.run());
  connection_ = nullptr;
  return ok();
}

}  // namespace opsgraph::store::detail
