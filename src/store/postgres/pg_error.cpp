#include "store/postgres/pg_error.hpp"

#include <libpq-fe.h>

#include <string>

namespace opsgraph::store::detail::pg {
namespace {

struct Classification {
  errc code;
  bool retryable;
};

Classification classify(std::string_view state) {
  if (state.empty())
    return {errc::storage, true};  // no answer from the server: the connection is gone
  std::string_view cls = state.substr(0, 2);
  if (cls == "08")  // connection exception
    return {errc::storage, true};
  if (state == "40001" || state == "40P01" || state == "55P03")  // serialization, deadlock, lock
    return {errc::storage, true};
  if (state == "57P01" || state == "57P02" || state == "57P03")  // shutdown, crash, starting up
    return {errc::storage, true};
  if (state == "53300")  // too many connections
    return {errc::storage, true};
  if (state == "57014")  // statement timeout or cancel request
    return {errc::timeout, true};
  if (cls == "23")  // integrity constraint violation
    return {errc::conflict, false};
  if (cls == "22")  // data exception
    return {errc::invalid_argument, false};
  if (cls == "42" || cls == "26" || cls == "34" || cls == "0A")  // the query itself is wrong
    return {errc::internal, false};
  return {errc::storage, false};  // disk full (53100), I/O, authorization, corruption...
}

std::string trimmed(const char* text) {
  std::string message = text != nullptr ? text : "";
  while (!message.empty() && (message.back() == '\n' || message.back() == ' '))
    message.pop_back();
  return message.empty() ? "unknown error" : message;
}

}  // namespace

std::string_view sqlstate(const pg_result* result) noexcept {
  if (result == nullptr)
    return {};
  const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
  return state != nullptr ? std::string_view(state) : std::string_view{};
}

bool has_sqlstate(const Error& error, std::string_view state) noexcept {
  const json::Value* found = error.details.find("sqlstate");
  const std::string* text = found != nullptr ? found->if_string() : nullptr;
  return text != nullptr && *text == state;
}

Error pg_error(const pg_result* result, pg_conn* conn, std::string_view operation) {
  std::string_view state = sqlstate(result);
  // A lost connection reports no SQLSTATE; a connection the server ended (admin shutdown) may.
  if (conn != nullptr && PQstatus(conn) == CONNECTION_BAD && state.empty())
    state = "08006";
  auto [code, retryable] = classify(state);
  const char* primary =
      result != nullptr ? PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  std::string message = "postgres: ";
  message += operation;
  message += ": ";
  message +=
      trimmed(primary != nullptr ? primary : (conn != nullptr ? PQerrorMessage(conn) : nullptr));
  json::Value details;
  if (!state.empty())
    details.set("sqlstate", std::string(state));
  Error error = make_error(code, std::move(message), std::move(details));
  error.retryable = retryable;
  return error;
}

Error connect_error(pg_conn* conn, std::string_view reason) {
  std::string text = conn != nullptr ? trimmed(PQerrorMessage(conn)) : std::string(reason);
  // libpq reports why the server refused us only as text; these are not fixed by retrying.
  bool refused = text.find("authentication failed") != std::string::npos ||
                 text.find("password") != std::string::npos ||
                 (text.find("database") != std::string::npos &&
                  text.find("does not exist") != std::string::npos) ||
                 text.find("no pg_hba.conf entry") != std::string::npos;
  std::string message = "postgres: connect: ";
  message += reason;
  if (conn != nullptr) {
    message += ": ";
    message += text;
  }
  Error error = make_error(errc::storage, std::move(message));
  error.retryable = !refused;
  return error;
}

}  // namespace opsgraph::store::detail::pg
