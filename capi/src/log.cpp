// opsgraph_log_set_callback: the process-wide logger of objects created through the C ABI. It is
// the C boundary's own state (a C caller has no object to hang it on yet); it is never destroyed,
// so no destroy callback runs during static destruction.

#include <memory>
#include <mutex>
#include <opsgraph/core/json.hpp>

#include "boundary.hpp"

namespace opsgraph::capi {
namespace {

/// The caller's callback and user data; the destroy function runs when the last record using it
/// has finished and it has been replaced.
struct CallbackSink {
  opsgraph_log_fn callback = nullptr;
  void* user_data = nullptr;
  opsgraph_destroy_fn destroy = nullptr;

  CallbackSink(opsgraph_log_fn c, void* u, opsgraph_destroy_fn d)
      : callback(c), user_data(u), destroy(d) {}
  CallbackSink(const CallbackSink&) = delete;
  CallbackSink& operator=(const CallbackSink&) = delete;
  ~CallbackSink() {
    if (destroy != nullptr)
      destroy(user_data);
  }

  void operator()(const LogRecord& record) const {
    json::Value fields = json::Object{};
    for (const LogField& field : record.fields)
      fields.set(field.key, field.value);
    const std::string component(record.component);
    const std::string message(record.message);
    const std::string fields_json = json::dump(fields);
    callback(static_cast<opsgraph_log_level>(record.level), component.c_str(), message.c_str(),
             fields_json.c_str(), user_data);
  }
};

struct LogState {
  std::mutex mutex;
  Logger logger = Logger::to_stderr(LogLevel::warn);
};

LogState& log_state() {
  static auto* state = new LogState;  // never destroyed: see the file comment
  return *state;
}

}  // namespace

Logger c_logger() {
  LogState& state = log_state();
  std::lock_guard lock(state.mutex);
  return state.logger;
}

}  // namespace opsgraph::capi

using namespace opsgraph;
using namespace opsgraph::capi;

extern "C" {

opsgraph_status opsgraph_log_set_callback(int min_level, opsgraph_log_fn callback, void* user_data,
                                          opsgraph_destroy_fn destroy) {
  return guarded("opsgraph_log_set_callback", [&] {
    const int level = min_level;
    if (level < static_cast<int>(LogLevel::trace) || level > static_cast<int>(LogLevel::off))
      return set_error(OPSGRAPH_INVALID_ARGUMENT, "min_level is not an opsgraph_log_level");
    Logger logger = Logger::null();
    if (callback != nullptr) {
      // destroy is attached only once nothing can fail any more: on failure the caller keeps
      // ownership of user_data.
      auto sink = std::make_shared<CallbackSink>(callback, user_data, nullptr);
      logger = Logger::with_sink(static_cast<LogLevel>(level),
                                 [sink](const LogRecord& record) { (*sink)(record); });
      sink->destroy = destroy;
    }
    LogState& state = log_state();
    {
      std::lock_guard lock(state.mutex);
      std::swap(state.logger, logger);
    }
    return OPSGRAPH_OK;  // the previous logger, and its sink, go when `logger` does
  });
}

}  // extern "C"
