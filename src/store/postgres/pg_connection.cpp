#include "store/postgres/pg_connection.hpp"

#include <libpq-fe.h>
#include <poll.h>

#include <cerrno>
#include <charconv>
#include <cstring>

#include "store/postgres/pg_error.hpp"

namespace opsgraph::store::detail::pg {
namespace {

// Double-quotes an identifier already checked to be [a-z_][a-z0-9_]*.
std::string quoted(const std::string& identifier) {
  return "\"" + identifier + "\"";
}

int millis_until(SteadyTime deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  return left.count() <= 0 ? 0 : static_cast<int>(std::min<std::int64_t>(left.count(), 1 << 30));
}

// Drives PQconnectPoll until the connection is made, fails, or the deadline passes.
result<void> finish_connect(PGconn* conn, SteadyTime deadline) {
  auto status = PGRES_POLLING_WRITING;
  for (;;) {
    if (status == PGRES_POLLING_OK)
      return ok();
    if (status == PGRES_POLLING_FAILED)
      return fail(connect_error(conn, "connection failed"));
    pollfd watched{PQsocket(conn),
                   static_cast<short>(status == PGRES_POLLING_READING ? POLLIN : POLLOUT), 0};
    int timeout = millis_until(deadline);
    if (timeout == 0)
      return fail(connect_error(nullptr, "timed out"));
    int ready = ::poll(&watched, 1, timeout);
    if (ready < 0 && errno != EINTR)
      return fail(connect_error(nullptr, std::strerror(errno)));
    if (ready == 0)
      return fail(connect_error(nullptr, "timed out"));
    status = PQconnectPoll(conn);
  }
}

}  // namespace

Rows::Rows(pg_result* result) noexcept : result_(result) {}
Rows::~Rows() = default;

void Rows::Clear::operator()(pg_result* result) const noexcept {
  PQclear(result);
}

int Rows::size() const noexcept {
  return PQntuples(result_.get());
}

bool Rows::is_null(int row, int column) const noexcept {
  return PQgetisnull(result_.get(), row, column) != 0;
}

std::string Rows::text(int row, int column) const {
  return std::string(PQgetvalue(result_.get(), row, column),
                     static_cast<std::size_t>(PQgetlength(result_.get(), row, column)));
}

std::optional<std::string> Rows::optional_text(int row, int column) const {
  if (is_null(row, column))
    return std::nullopt;
  return text(row, column);
}

std::int64_t Rows::int64(int row, int column) const noexcept {
  const char* value = PQgetvalue(result_.get(), row, column);
  std::int64_t parsed = 0;
  std::from_chars(value, value + PQgetlength(result_.get(), row, column), parsed);
  return parsed;
}

bool Rows::boolean(int row, int column) const noexcept {
  return PQgetvalue(result_.get(), row, column)[0] == 't';
}

result<void> check_conninfo(const std::string& conninfo) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), &error);
  if (options == nullptr) {
    std::string reason = error != nullptr ? error : "out of memory";
    PQfreemem(error);
    while (!reason.empty() && reason.back() == '\n')
      reason.pop_back();
    return fail(errc::invalid_argument, "postgres: malformed conninfo: " + reason);
  }
  PQconninfoFree(options);
  return ok();
}

result<std::unique_ptr<Connection>> Connection::connect(const std::string& conninfo,
                                                        const std::string& schema,
                                                        std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  // The caller's conninfo comes last, so its own settings win over these defaults.
  const char* keys[] = {"fallback_application_name", "client_encoding", "dbname", nullptr};
  const char* values[] = {"opsgraph", "UTF8", conninfo.c_str(), nullptr};
  PGconn* conn = PQconnectStartParams(keys, values, 1);
  if (conn == nullptr)
    return fail(connect_error(nullptr, "out of memory"));
  std::unique_ptr<Connection> connection(new Connection(conn));
  if (PQstatus(conn) == CONNECTION_BAD)
    return fail(connect_error(conn, "connection failed"));
  // Notices (and the FATAL message of a server that ends the session) would go to stderr;
  // whatever matters comes back as an Error instead.
  PQsetNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);
  OPSGRAPH_TRY(finish_connect(conn, deadline));
  OPSGRAPH_TRY(connection->exec("SET search_path TO " + quoted(schema), "set search_path"));
  return connection;
}

Connection::~Connection() {
  PQfinish(conn_);
}

result<const std::string*> Connection::prepared(std::string_view sql, std::string_view operation) {
  auto it = statements_.find(sql);
  if (it != statements_.end())
    return &it->second;
  std::string name = "opsgraph_" + std::to_string(statements_.size() + 1);
  std::string text(sql);
  PGresult* result = PQprepare(conn_, name.c_str(), text.c_str(), 0, nullptr);
  Rows rows(result);
  if (result == nullptr || PQresultStatus(result) != PGRES_COMMAND_OK)
    return fail(pg_error(result, conn_, operation));
  return &statements_.emplace(std::move(text), std::move(name)).first->second;
}

result<Rows> Connection::query(std::string_view sql, const Params& params,
                               std::string_view operation) {
  if (params.has_nul()) {
    return fail(errc::invalid_argument,
                "postgres: " + std::string(operation) + ": text with a NUL byte cannot be stored");
  }
  OPSGRAPH_TRY(const std::string* name, prepared(sql, operation));
  const auto& values = params.values();
  std::vector<const char*> pointers;
  pointers.reserve(values.size());
  for (const auto& value : values)
    pointers.push_back(value ? value->c_str() : nullptr);
  PGresult* result = PQexecPrepared(conn_, name->c_str(), static_cast<int>(pointers.size()),
                                    pointers.data(), nullptr, nullptr, 0);
  Rows rows(result);
  auto status = PQresultStatus(result);
  if (result == nullptr || (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK))
    return fail(pg_error(result, conn_, operation));
  return rows;
}

result<void> Connection::exec(const std::string& sql, std::string_view operation) {
  PGresult* result = PQexec(conn_, sql.c_str());
  Rows rows(result);
  auto status = PQresultStatus(result);
  if (result == nullptr || (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK))
    return fail(pg_error(result, conn_, operation));
  return ok();
}

bool Connection::alive() {
  // An idle connection has nothing to read unless the server ended it (a FATAL message, then
  // the end of the stream) or sent a notice. Read until nothing is left: the end of the stream
  // is what marks the connection bad.
  for (int reads = 0; reads < 16 && PQstatus(conn_) == CONNECTION_OK; ++reads) {
    pollfd watched{PQsocket(conn_), POLLIN, 0};
    if (::poll(&watched, 1, 0) <= 0)
      break;
    if (PQconsumeInput(conn_) == 0)
      return false;
  }
  return PQstatus(conn_) == CONNECTION_OK;
}

bool Connection::idle_in_no_transaction() const noexcept {
  return PQtransactionStatus(conn_) == PQTRANS_IDLE;
}

int Connection::socket() const noexcept {
  return PQsocket(conn_);
}

result<Transaction> Transaction::begin(Connection& connection, std::string_view operation) {
  OPSGRAPH_TRY(connection.exec("BEGIN", operation));
  return Transaction(connection, operation);
}

Transaction::Transaction(Transaction&& other) noexcept
    : connection_(other.connection_), operation_(other.operation_) {
  other.connection_ = nullptr;
}

Transaction::~Transaction() {
  if (connection_ == nullptr || connection_->idle_in_no_transaction())
    return;
  // A failed ROLLBACK leaves a broken connection, which the pool then drops.
  (void)connection_->exec("ROLLBACK", operation_);
}

result<void> Transaction::commit() {
  OPSGRAPH_TRY(connection_->exec("COMMIT", operation_));
  connection_ = nullptr;
  return ok();
}

}  // namespace opsgraph::store::detail::pg
