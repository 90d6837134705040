#include "access_log.hpp"

#include <opsgraph/core/clock.hpp>
#include <opsgraph/core/json.hpp>
#include <opsgraph/core/json_codec.hpp>

namespace opsgraph::service {

result<std::unique_ptr<AccessLog>> AccessLog::open(const std::string& target,
                                                   TrustedProxies proxies) {
  if (target == "-")
    return std::unique_ptr<AccessLog>(new AccessLog(stdout, false, std::move(proxies)));
  std::FILE* file = std::fopen(target.c_str(), "a");
  if (file == nullptr)
    return fail(errc::not_found, "access log " + target + ": cannot be opened for appending");
  std::setvbuf(file, nullptr, _IOLBF, 0);
  return std::unique_ptr<AccessLog>(new AccessLog(file, true, std::move(proxies)));
}

AccessLog::~AccessLog() {
  if (owned_)
    std::fclose(file_);
  else
    std::fflush(file_);
}

void AccessLog::write(const AccessEntry& entry) {
  auto line =
      json::dump(json::Object{{"at", json::to_value(Clock::system().now())},
                              {"remote", proxies_.client_of(entry.peer, entry.forwarded_for)},
                              {"peer", entry.peer},
                              {"method", entry.method},
                              {"path", entry.path},
                              {"route", entry.route},
                              {"status", entry.status},
                              {"duration_ms", entry.seconds * 1000.0},
                              {"bytes", entry.response_bytes},
                              {"key", entry.key_id}});
  line += '\n';
  std::lock_guard lock(mutex_);
  std::fwrite(line.data(), 1, line.size(), file_);
  if (!owned_)
    std::fflush(file_);
}

}  // namespace opsgraph::service
