#pragma once
// opsgraph's logging hook: every component logs structured records through a Logger, and the
// embedding application decides where they go (stderr by default, a file, JSON lines, its own
// logging library, or nowhere). Library code never writes to stdout.

#include <concepts>
#include <cstdio>
#include <functional>
#include <initializer_list>
#include <memory>
#include <opsgraph/core/clock.hpp>
#include <opsgraph/core/result.hpp>
#include <opsgraph/export.hpp>
#include <span>
#include <string>
#include <string_view>

namespace opsgraph {

/// Severity, lowest first. `off` is only a threshold: nothing is ever logged at it.
enum class LogLevel : int { trace, debug, info, warn, error, off };

/// "trace", "debug", "info", "warn", "error" or "off".
OPSGRAPH_API std::string_view to_string(LogLevel level) noexcept;

/// The level named by to_string(); also accepts "warning". invalid_argument otherwise.
OPSGRAPH_API result<LogLevel> parse_log_level(std::string_view text);

/// One key=value pair of a record. Values are kept as text; numbers and booleans are formatted
/// when the field is made, so guard expensive fields with Logger::enabled().
struct OPSGRAPH_API LogField {
  LogField(std::string_view k, std::string v) : key(k), value(std::move(v)) {}
  LogField(std::string_view k, std::string_view v) : key(k), value(v) {}
  LogField(std::string_view k, const char* v) : key(k), value(v) {}
  LogField(std::string_view k, bool v) : key(k), value(v ? "true" : "false") {}
  template <std::integral I>
  requires(!std::same_as<I, bool>) LogField(std::string_view k, I v)
      : key(k), value(std::to_string(v)) {}
  LogField(std::string_view k, double v);

  std::string key;
  std::string value;
};

/// What a sink receives. A view: its strings and fields live only for the duration of the sink
/// call, so a sink that keeps a record copies what it needs.
struct LogRecord {
  LogLevel level = LogLevel::info;
  std::string_view component;
  std::string_view message;
  std::span<const LogField> fields;
  TimePoint time;
};

/// `2026-11-26T10:00:00.000Z info graph msg="node failed" run_id=0193... node=plan` (logfmt:
/// values quoted and escaped only when they need it; no trailing newline).
OPSGRAPH_API std::string format_logfmt(const LogRecord& record);

/// `{"time":"...","level":"info","component":"graph","msg":"node failed","run_id":"..."}` with
/// fields as top-level string members; a field named time, level, component or msg is written
/// with a leading underscore. Invalid UTF-8 becomes U+FFFD. No trailing newline.
OPSGRAPH_API std::string format_json_line(const LogRecord& record);

/// A handle to a log destination plus a minimum level. Cheap to copy (a shared pointer to the
/// sink); copies share the sink, settings changed on one handle stay on that handle. Thread-safe:
/// any number of threads may log through copies of one Logger, and the sink sees one record at a
/// time, so lines are never interleaved. A default-constructed Logger is to_stderr(info).
class OPSGRAPH_API Logger {
 public:
  /// Called with one record at a time (never concurrently). It must not log through the same
  /// Logger; anything it throws is swallowed.
  using Sink = std::function<void(const LogRecord&)>;

  Logger();

  /// logfmt lines on stderr.
  static Logger to_stderr(LogLevel min_level = LogLevel::info);
  /// logfmt lines on `out`, flushed per record. `out` is borrowed and must outlive every copy.
  static Logger logfmt(LogLevel min_level, std::FILE* out);
  /// One JSON object per line on `out`, flushed per record. `out` is borrowed likewise.
  static Logger json_lines(LogLevel min_level, std::FILE* out);
  /// Discards everything; enabled() is always false.
  static Logger null();
  /// Hands records to `sink` (an empty sink behaves like null()).
  static Logger with_sink(LogLevel min_level, Sink sink);

  /// Whether a record at `level` would reach the sink: check it before building costly fields.
  bool enabled(LogLevel level) const noexcept {
    return level >= min_level_ && level < LogLevel::off;
  }
  LogLevel min_level() const noexcept { return min_level_; }
  void set_min_level(LogLevel level) noexcept;
  /// Where records of this handle take their time from (default Clock::system()). Borrowed.
  void set_clock(const Clock& clock) noexcept { clock_ = &clock; }

  void log(LogLevel level, std::string_view component, std::string_view message,
           std::initializer_list<LogField> fields = {}) const noexcept;

  void trace(std::string_view component, std::string_view message,
             std::initializer_list<LogField> fields = {}) const noexcept {
    log(LogLevel::trace, component, message, fields);
  }
  void debug(std::string_view component, std::string_view message,
             std::initializer_list<LogField> fields = {}) const noexcept {
    log(LogLevel::debug, component, message, fields);
  }
  void info(std::string_view component, std::string_view message,
            std::initializer_list<LogField> fields = {}) const noexcept {
    log(LogLevel::info, component, message, fields);
  }
  void warn(std::string_view component, std::string_view message,
            std::initializer_list<LogField> fields = {}) const noexcept {
    log(LogLevel::warn, component, message, fields);
  }
  void error(std::string_view component, std::string_view message,
             std::initializer_list<LogField> fields = {}) const noexcept {
    log(LogLevel::error, component, message, fields);
  }

 private:
  Logger(std::shared_ptr<const Sink> sink, LogLevel min_level) noexcept;

  std::shared_ptr<const Sink> sink_;
  LogLevel min_level_ = LogLevel::info;
  const Clock* clock_ = nullptr;
};

}  // namespace opsgraph
