// The calling thread's last error and the status names: the only place a C status is made from
// an opsgraph::Error or an exception.

#include <new>
#include <opsgraph/core/json.hpp>

#include "boundary.hpp"

namespace opsgraph::capi {
namespace {

constexpr const char* kEmptyDetails = "{\"schema_version\":1}";

struct LastError {
  std::string message;
  std::string details;
  opsgraph_error view{OPSGRAPH_OK, 0, "", kEmptyDetails};
};

LastError& last_error() noexcept {
  thread_local LastError error;
  return error;
}

opsgraph_status record(opsgraph_status status, bool retryable, std::string_view message,
                       const json::Value& details) noexcept {
  LastError& e = last_error();
  e.view = opsgraph_error{status, retryable ? 1 : 0, "", kEmptyDetails};
  try {
    e.message.assign(message);
    json::Value object = details.is_object() ? details : json::Value(json::Object{});
    if (!details.is_object() && !details.is_null())
      object.set("value", details);
    object.set("schema_version", OPSGRAPH_JSON_SCHEMA_VERSION);
    e.details = json::dump(object);
    e.view.message = e.message.c_str();
    e.view.details_json = e.details.c_str();
  } catch (...) {
    // Out of memory while describing the failure: the status still says what happened.
    e.view.message = "out of memory while recording the error";
  }
  return status;
}

}  // namespace

void clear_last_error() noexcept {
  LastError& e = last_error();
  e.view = opsgraph_error{OPSGRAPH_OK, 0, "", kEmptyDetails};
}

opsgraph_status set_error(const Error& error) noexcept {
  return record(static_cast<opsgraph_status>(error.code), error.retryable, error.message,
                error.details);
}

opsgraph_status set_error(opsgraph_status status, std::string_view message) noexcept {
  return record(status, false, message, json::Value());
}

opsgraph_status fail_current_exception(std::string_view where) noexcept {
  try {
    throw;
  } catch (const std::bad_alloc&) {
    return set_error(OPSGRAPH_OUT_OF_MEMORY, "out of memory");
  } catch (...) {
    try {
      return set_error(error_from_current_exception(where));
    } catch (...) {
      return set_error(OPSGRAPH_INTERNAL, "an exception escaped while describing an exception");
    }
  }
}

}  // namespace opsgraph::capi

extern "C" {

const char* opsgraph_status_string(int status) {
  switch (status) {
    case OPSGRAPH_OK:
      return "ok";
    case OPSGRAPH_INVALID_ARGUMENT:
      return "invalid_argument";
    case OPSGRAPH_NOT_FOUND:
      return "not_found";
    case OPSGRAPH_CONFLICT:
      return "conflict";
    case OPSGRAPH_UNAUTHORIZED:
      return "unauthorized";
    case OPSGRAPH_PERMISSION_DENIED:
      return "permission_denied";
    case OPSGRAPH_PAYLOAD_TOO_LARGE:
      return "payload_too_large";
    case OPSGRAPH_UNSUPPORTED_MEDIA_TYPE:
      return "unsupported_media_type";
    case OPSGRAPH_RATE_LIMITED:
      return "rate_limited";
    case OPSGRAPH_TIMEOUT:
      return "timeout";
    case OPSGRAPH_CANCELLED:
      return "cancelled";
    case OPSGRAPH_UPSTREAM_UNAVAILABLE:
      return "upstream_unavailable";
    case OPSGRAPH_BAD_RESPONSE:
      return "bad_response";
    case OPSGRAPH_CONTEXT_TOO_LONG:
      return "context_too_long";
    case OPSGRAPH_CONTENT_FILTERED:
      return "content_filtered";
    case OPSGRAPH_STORAGE:
      return "storage";
    case OPSGRAPH_INTERNAL:
      return "internal";
    case OPSGRAPH_NULL_ARGUMENT:
      return "null_argument";
    case OPSGRAPH_INVALID_HANDLE:
      return "invalid_handle";
    case OPSGRAPH_INVALID_UTF8:
      return "invalid_utf8";
    case OPSGRAPH_OUT_OF_MEMORY:
      return "out_of_memory";
    case OPSGRAPH_UNSUPPORTED_STRUCT_SIZE:
      return "unsupported_struct_size";
  }
  return "unknown";
}

const opsgraph_error* opsgraph_last_error(void) {
  return &opsgraph::capi::last_error().view;
}

}  // extern "C"
