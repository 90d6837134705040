#pragma once
// A thin RAII layer over one sqlite3 connection: cached prepared statements, bindings that report
// their errors at step(), and write transactions that roll back unless committed. Not
// thread-safe: SqliteStore serialises every use behind its mutex.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <opsgraph/core/result.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/string_hash.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace opsgraph::store::detail {

/// One use of a cached prepared statement. Parameters and columns are numbered as in SQL
/// (parameters from 1, columns from 0). The destructor resets the statement for its next use.
class Statement {
 public:
  Statement(sqlite3_stmt* stmt, sqlite3* db, std::string_view operation) noexcept
      : stmt_(stmt), db_(db), operation_(operation) {}
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  ~Statement();

  // A failed bind is remembered and reported by the next step(), so binds can be chained.
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, std::string_view value);
  Statement& bind_optional(int index, const std::optional<std::string>& value);
  Statement& bind_null(int index);

  /// true when a row is ready to read, false when the statement is done.
  result<bool> step();
  /// Steps to the end, ignoring any rows.
  result<void> run();

  bool is_null(int column) const;
  std::int64_t int64(int column) const;
  std::string text(int column) const;
  std::optional<std::string> optional_text(int column) const;

 private:
  sqlite3_stmt* stmt_;
  sqlite3* db_;
  std::string_view operation_;
  int bind_error_ = 0;
};

class Connection {
 public:
  /// Opens `path` read-write (creating it when `create`), with extended result codes and the
  /// given busy timeout.
  static result<std::unique_ptr<Connection>> open(const std::string& path, bool create,
                                                  std::chrono::milliseconds busy_timeout);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  /// The cached statement for `sql` (prepared on first use). `operation` names the store call in
  /// error messages. A statement must not be in use twice at once.
  result<Statement> prepare(std::string_view sql, std::string_view operation);

  /// Runs one or more statements that take no parameters (pragmas, schema changes).
  result<void> exec(const std::string& sql, std::string_view operation);

  sqlite3* handle() const noexcept { return db_; }

 private:
  // SQLite's own busy timeout sleeps longer and longer (up to 100 ms a try), so a waiting
  // process keeps losing the lock to one that writes in a loop. This one retries every few
  // hundred microseconds until the deadline.
  struct BusyWait {
    std::chrono::milliseconds timeout{0};
    std::chrono::steady_clock::time_point deadline{};
  };
  static int on_busy(void* wait, int attempts) noexcept;

  explicit Connection(sqlite3* db) noexcept : db_(db) {}
  sqlite3* db_;
  BusyWait busy_;
  std::unordered_map<std::string, sqlite3_stmt*, opsgraph::detail::StringHash, std::equal_to<>>
      statements_;
};

/// BEGIN IMMEDIATE ... COMMIT. Taking the write lock at BEGIN means a transaction never has to
/// upgrade a read lock, so two processes cannot deadlock on an upgrade; the busy timeout covers
/// waiting for the other writer. Rolls back on destruction unless committed.
class WriteTransaction {
 public:
  static result<WriteTransaction> begin(Connection& connection, std::string_view operation);
  WriteTransaction(WriteTransaction&& other) noexcept;
  WriteTransaction& operator=(WriteTransaction&&) = delete;
  ~WriteTransaction();

  result<void> commit();

 private:
  WriteTransaction(Connection& connection, std::string_view operation) noexcept
      : connection_(&connection), operation_(operation) {}
  Connection* connection_;
  std::string_view operation_;
};

}  // namespace opsgraph::store::detail
