#include <boost/asio/error.hpp>
#include <boost/outcome/bad_access.hpp>
#include <boost/system/system_error.hpp>
#include <exception>
#include <new>
#include <opsgraph/core/error.hpp>
#include <opsgraph/core/result.hpp>
#include <string>
#include <system_error>

namespace opsgraph {
namespace {

class Category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "opsgraph"; }
  std::string message(int code) const override {
    return std::string(to_string(static_cast<errc>(code)));
  }
};

std::string with_context(std::string_view context, std::string_view what) {
  std::string message(context);
  if (!message.empty())
    message += ": ";
  message += what;
  return message;
}

}  // namespace

std::string_view to_string(errc code) noexcept {
  switch (code) {
    case errc::invalid_argument:
      return "invalid_argument";
    case errc::not_found:
      return "not_found";
    case errc::conflict:
      return "conflict";
    case errc::unauthorized:
      return "unauthorized";
    case errc::permission_denied:
      return "permission_denied";
    case errc::payload_too_large:
      return "payload_too_large";
    case errc::unsupported_media_type:
      return "unsupported_media_type";
    case errc::rate_limited:
      return "rate_limited";
    case errc::timeout:
      return "timeout";
    case errc::cancelled:
      return "cancelled";
    case errc::upstream_unavailable:
      return "upstream_unavailable";
    case errc::bad_response:
      return "bad_response";
    case errc::context_too_long:
      return "context_too_long";
    case errc::content_filtered:
      return "content_filtered";
    case errc::storage:
      return "storage";
    case errc::internal:
      return "internal";
  }
  return "unknown";
}

bool is_retryable(errc code) noexcept {
  switch (code) {
    case errc::rate_limited:
    case errc::timeout:
    case errc::upstream_unavailable:
    case errc::bad_response:
      return true;
    default:
      return false;
  }
}

const std::error_category& error_category() noexcept {
  static const Category category;
  return category;
}

Error error_from(const std::error_code& ec, std::string_view context) {
  const auto message = with_context(context, ec.message());
  if (ec.category() == error_category())
    return make_error(static_cast<errc>(ec.value()), message);
  // Asio's own categories survive the round trip through std::error_code.
  const boost::system::error_code asio_ec(ec);
  if (ec == std::errc::operation_canceled || asio_ec == boost::asio::error::operation_aborted) {
    return make_error(errc::cancelled, message);
  }
  if (ec == std::errc::timed_out)
    return make_error(errc::timeout, message);
  if (ec == std::errc::connection_refused || ec == std::errc::connection_reset ||
      ec == std::errc::network_unreachable || ec == std::errc::host_unreachable ||
      asio_ec == boost::asio::error::eof) {
    return make_error(errc::upstream_unavailable, message);
  }
  if (ec == std::errc::no_space_on_device || ec == std::errc::io_error) {
    return make_error(errc::storage, message);
  }
  if (ec == std::errc::invalid_argument)
    return make_error(errc::invalid_argument, message);
  if (ec == std::errc::permission_denied)
    return make_error(errc::permission_denied, message);
  if (ec == std::errc::no_such_file_or_directory)
    return make_error(errc::not_found, message);
  return make_error(errc::internal, message);
}

Error error_from_current_exception(std::string_view context) {
  try {
    throw;
  } catch (const boost::outcome_v2::bad_result_access_with<Error>& e) {
    // A failed result was read as if it had succeeded: keep the original error, and say where.
    Error error = e.error();
    error.message = with_context(context, error.message);
    return error;
  } catch (const std::system_error& e) {
    return error_from(e.code(), context);
  } catch (const boost::system::system_error& e) {
    return error_from(e.code(), context);
  } catch (const std::bad_alloc&) {
    return make_error(errc::internal, with_context(context, "out of memory"));
  } catch (const std::exception& e) {
    return make_error(errc::internal, with_context(context, e.what()));
  } catch (...) {
    return make_error(errc::internal, with_context(context, "unknown exception"));
  }
}

}  // namespace opsgraph
