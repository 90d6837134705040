#pragma once
// RawSqlite — a plain sqlite3 connection that tests use to look inside (or tamper with) a store's
// file behind the store's back. Not thread-safe.

#include <sqlite3.h>

#include <string>

namespace opsgraph::store::testing {

class RawSqlite {
 public:
  explicit RawSqlite(const std::string& path) { sqlite3_open(path.c_str(), &db_); }
  ~RawSqlite() { sqlite3_close(db_); }
  RawSqlite(const RawSqlite&) = delete;
  RawSqlite& operator=(const RawSqlite&) = delete;

  /// SQLITE_OK or the failure's code; message() tells the reason.
  int exec(const std::string& sql) {
    return sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr);
  }
  std::string message() const { return sqlite3_errmsg(db_); }

  /// The first column of the first row as text ("" when there is no row or on failure).
  std::string text(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    std::string out;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW) {
      if (auto* t = sqlite3_column_text(stmt, 0))
        out = reinterpret_cast<const char*>(t);
    }
    sqlite3_finalize(stmt);
    return out;
  }

 private:
  sqlite3* db_ = nullptr;
};

}  // namespace opsgraph::store::testing
