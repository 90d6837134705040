#include "request_body.hpp"

#include <boost/beast/core/string.hpp>

namespace opsgraph::service {

result<void> check_json_content(const http::Request& request, bool body_required) {
  if (request.body().empty()) {
    if (body_required)
      return fail(errc::invalid_argument, "a JSON body is required");
    return ok();
  }
  const auto type = request.header("content-type").value_or("");
  const auto media = type.substr(0, type.find(';'));
  if (!boost::beast::iequals(media, "application/json")) {
    return fail(errc::unsupported_media_type,
                "the body must be application/json, not \"" + std::string(type) + "\"");
  }
  return ok();
}

Error body_error(Error decode_error) {
  const auto* path = decode_error.details.find("path");
  if (path == nullptr || !path->is_string() || path->if_string()->empty()) {
    // Not a field's fault: the text itself is not JSON. 400, not 422.
    decode_error.code = errc::invalid_argument;
    decode_error.message = "the body is not valid JSON: " + decode_error.message;
    decode_error.details = json::Object{{"malformed", true}};
  }
  return decode_error;
}

}  // namespace opsgraph::service
