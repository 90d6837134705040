#include "store/sqlite_error.hpp"

#include <sqlite3.h>

#include <string>

namespace opsgraph::store::detail {
namespace {

struct Classification {
  errc code;
  bool retryable;
};

Classification classify(int primary) {
  switch (primary) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return {errc::storage, true};
    case SQLITE_CONSTRAINT:
      return {errc::conflict, false};
    case SQLITE_INTERRUPT:
      return {errc::cancelled, false};
    case SQLITE_MISUSE:
    case SQLITE_RANGE:
      return {errc::internal, false};
    default:  // FULL, IOERR, CORRUPT, NOTADB, CANTOPEN, READONLY, NOMEM, SCHEMA...
      return {errc::storage, false};
  }
}

}  // namespace

Error sqlite_error(int rc, sqlite3* db, std::string_view operation) {
  auto [code, retryable] = classify(rc & 0xff);
  std::string message = "sqlite: ";
  message += operation;
  message += ": ";
  // sqlite3_errmsg describes the connection's latest failure, which is `rc` only when the
  // caller reports it at once; sqlite3_errstr is the generic text of the code otherwise.
  bool current = db != nullptr && (sqlite3_extended_errcode(db) == rc || sqlite3_errcode(db) == rc);
  const char* text = current ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  message += text != nullptr ? text : "unknown error";
  json::Value details;
  details.set("sqlite_code", rc);
  details.set("sqlite_error", sqlite3_errstr(rc));
  Error error = make_error(code, std::move(message), std::move(details));
  error.retryable = retryable;
  return error;
}

}  // namespace opsgraph::store::detail
