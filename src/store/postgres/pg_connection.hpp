#pragma once
// A thin RAII layer over one libpq connection: connecting with a deadline, parameterised queries
// through statements prepared once per connection, rows read as text, and a liveness check.
// Not thread-safe: the pool hands a connection to one thread at a time.

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
#include <vector>

#include "core/string_hash.hpp"

struct pg_conn;
struct pg_result;

namespace opsgraph::store::detail::pg {

using SteadyTime = std::chrono::steady_clock::time_point;

/// The parameters of one query, as text ($1, $2... in order); nullopt is SQL NULL.
class Params {
 public:
  Params& add(std::string_view value) {
    // libpq sends text parameters as C strings: a NUL byte would silently cut the value short.
    if (value.find('\0') != std::string_view::npos)
      has_nul_ = true;
    values_.emplace_back(std::string(value));
    return *this;
  }
  Params& add(std::int64_t value) {
    values_.emplace_back(std::to_string(value));
    return *this;
  }
  Params& add_bool(bool value) {
    values_.emplace_back(value ? "t" : "f");
    return *this;
  }
  Params& add_optional(const std::optional<std::string>& value) {
    if (value)
      return add(*value);
    values_.emplace_back();
    return *this;
  }
  const std::vector<std::optional<std::string>>& values() const noexcept { return values_; }
  /// Whether a text value holds a NUL byte, which PostgreSQL text cannot store.
  bool has_nul() const noexcept { return has_nul_; }

 private:
  std::vector<std::optional<std::string>> values_;
  bool has_nul_ = false;
};

/// The rows of one successful query. Columns are numbered from 0, values read as text.
class Rows {
 public:
  explicit Rows(pg_result* result) noexcept;
  Rows(Rows&&) noexcept = default;
  Rows& operator=(Rows&&) noexcept = default;
  ~Rows();

  int size() const noexcept;
  bool empty() const noexcept { return size() == 0; }
  bool is_null(int row, int column) const noexcept;
  std::string text(int row, int column) const;
  std::optional<std::string> optional_text(int row, int column) const;
  std::int64_t int64(int row, int column) const noexcept;
  bool boolean(int row, int column) const noexcept;

 private:
  struct Clear {
    void operator()(pg_result* result) const noexcept;
  };
  std::unique_ptr<pg_result, Clear> result_;
};

class Connection {
 public:
  /// Connects to `conninfo` (already checked by check_conninfo) within `timeout`, then sets the
  /// session's search_path to `schema`. Errors: storage (retryable unless authentication or
  /// the server's configuration refused us).
  static result<std::unique_ptr<Connection>> connect(const std::string& conninfo,
                                                     const std::string& schema,
                                                     std::chrono::milliseconds timeout);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  /// Runs `sql` with `params` through a statement prepared on first use on this connection.
  /// `operation` names the store call in error messages.
  result<Rows> query(std::string_view sql, const Params& params, std::string_view operation);

  /// Runs parameterless SQL (transaction control, schema changes) without preparing it.
  result<void> exec(const std::string& sql, std::string_view operation);

  /// False once the server closed the connection or it failed; checked without a round trip
  /// (reads whatever the server sent while the connection sat idle in the pool).
  bool alive();

  /// Whether the connection is outside any transaction.
  bool idle_in_no_transaction() const noexcept;

  /// The libpq socket, for waiting on notifications.
  int socket() const noexcept;
  pg_conn* handle() const noexcept { return conn_; }

 private:
  explicit Connection(pg_conn* conn) noexcept : conn_(conn) {}
  result<const std::string*> prepared(std::string_view sql, std::string_view operation);

  pg_conn* conn_;
  std::unordered_map<std::string, std::string, opsgraph::detail::StringHash, std::equal_to<>>
      statements_;
};

/// Checks that libpq can parse `conninfo`. Errors: invalid_argument with libpq's reason.
result<void> check_conninfo(const std::string& conninfo);

/// BEGIN ... COMMIT on one connection; rolls back on destruction unless committed.
class Transaction {
 public:
  static result<Transaction> begin(Connection& connection, std::string_view operation);
  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();

  result<void> commit();

 private:
  Transaction(Connection& connection, std::string_view operation) noexcept
      : connection_(&connection), operation_(operation) {}
  Connection* connection_;
  std::string_view operation_;
};

}  // namespace opsgraph::store::detail::pg
