// Logger and its two line formats. The JSON escaper here is deliberately local: the log must keep
// working when everything else (including the JSON codecs) is what is being debugged.

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <mutex>
#include <opsgraph/core/json_writer.hpp>
#include <opsgraph/core/log.hpp>
#include <utility>

namespace opsgraph {
namespace {

constexpr std::array<std::string_view, 6> kLevelNames{"trace", "debug", "info",
                                                      "warn",  "error", "off"};
constexpr std::array<std::string_view, 4> kJsonRecordKeys{"time", "level", "component", "msg"};

void append_unicode_escape(std::string& out, unsigned char c) {
  constexpr char kHex[] = "0123456789abcdef";
  out += "\\u00";
  out += kHex[c >> 4];
  out += kHex[c & 0xf];
}

// Escapes inside a quoted logfmt value (the JSON format escapes through json::Writer).
bool append_common_escape(std::string& out, char c) {
  switch (c) {
    case '"':
      out += "\\\"";
      return true;
    case '\\':
      out += "\\\\";
      return true;
    case '\n':
      out += "\\n";
      return true;
    case '\r':
      out += "\\r";
      return true;
    case '\t':
      out += "\\t";
      return true;
    default:
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
        append_unicode_escape(out, static_cast<unsigned char>(c));
        return true;
      }
      return false;
  }
}

// --- logfmt ---------------------------------------------------------------------------------

bool logfmt_needs_quotes(std::string_view value) {
  if (value.empty()) {
    return true;
  }
  for (char c : value) {
    if (static_cast<unsigned char>(c) <= ' ' || c == '=' || c == '"' || c == 0x7f) {
      return true;
    }
  }
  return false;
}

void append_logfmt_value(std::string& out, std::string_view value) {
  if (!logfmt_needs_quotes(value)) {
    out += value;
    return;
  }
  out += '"';
  for (char c : value) {
    if (!append_common_escape(out, c)) {
      out += c;
    }
  }
  out += '"';
}

// Keys and the component are written bare, so characters that would end them become '_'.
void append_logfmt_word(std::string& out, std::string_view word) {
  if (word.empty()) {
    out += '_';
    return;
  }
  for (char c : word) {
    const bool breaks = static_cast<unsigned char>(c) <= ' ' || c == '=' || c == '"' || c == 0x7f;
    out += breaks ? '_' : c;
  }
}

// --- JSON ---------------------------------------------------------------------------------

bool is_json_record_key(std::string_view key) {
  for (std::string_view reserved : kJsonRecordKeys) {
    if (key == reserved) {
      return true;
    }
  }
  return false;
}

// --- sinks ----------------------------------------------------------------------------------

// One fwrite per line: stdio locks the FILE for the call, so lines from several threads (or
// several Loggers on one FILE) never interleave.
void write_line(std::FILE* out, std::string line) {
  line += '\n';
  std::fwrite(line.data(), 1, line.size(), out);
  std::fflush(out);
}

std::shared_ptr<const Logger::Sink> file_sink(std::FILE* out,
                                              std::string (*format)(const LogRecord&)) {
  if (out == nullptr) {
    return nullptr;
  }
  return std::make_shared<const Logger::Sink>(
      [out, format](const LogRecord& record) { write_line(out, format(record)); });
}

}  // namespace

std::string_view to_string(LogLevel level) noexcept {
  const auto index = static_cast<std::size_t>(level);
  return index < kLevelNames.size() ? kLevelNames[index] : std::string_view("unknown");
}

result<LogLevel> parse_log_level(std::string_view text) {
  for (std::size_t i = 0; i < kLevelNames.size(); ++i) {
    if (text == kLevelNames[i]) {
      return static_cast<LogLevel>(i);
    }
  }
  if (text == "warning") {
    return LogLevel::warn;
  }
  return fail(errc::invalid_argument, "unknown log level \"" + std::string(text.substr(0, 64)) +
                                          "\": expected trace, debug, info, warn, error or off");
}

LogField::LogField(std::string_view k, double v) : key(k) {
  constexpr double kExactIntegerLimit = 9007199254740992.0;  // 2^53
  if (std::trunc(v) == v && std::fabs(v) < kExactIntegerLimit) {
    // Shortest form would write 200000 as "2e+05".
    value = std::to_string(static_cast<std::int64_t>(v));
    return;
  }
  std::array<char, 32> buf{};
  const auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), v);
  value.assign(buf.data(), ec == std::errc{} ? end : buf.data());
}

std::string format_logfmt(const LogRecord& record) {
  std::string out = format_timestamp(record.time);
  out += ' ';
  out += to_string(record.level);
  out += ' ';
  append_logfmt_word(out, record.component);
  out += " msg=";
  append_logfmt_value(out, record.message);
  for (const LogField& field : record.fields) {
    out += ' ';
    append_logfmt_word(out, field.key);
    out += '=';
    append_logfmt_value(out, field.value);
  }
  return out;
}

std::string format_json_line(const LogRecord& record) {
  // json::Writer escapes, and repairs invalid UTF-8 to U+FFFD, so every line is valid JSON.
  json::Writer out;
  out.begin_object();
  out.key("time").string(format_timestamp(record.time));
  out.key("level").string(to_string(record.level));
  out.key("component").string(record.component);
  out.key("msg").string(record.message);
  for (const LogField& field : record.fields) {
    if (is_json_record_key(field.key)) {
      out.key("_" + field.key);
    } else {
      out.key(field.key);
    }
    out.string(field.value);
  }
  out.end_object();
  return out.take();
}

Logger::Logger(std::shared_ptr<const Sink> sink, LogLevel min_level) noexcept
    : sink_(std::move(sink)), min_level_(sink_ ? min_level : LogLevel::off) {}

Logger::Logger() : Logger(to_stderr(LogLevel::info)) {}

Logger Logger::to_stderr(LogLevel min_level) {
  // Shared by every stderr Logger: stderr is one resource, and this saves an allocation per
  // default-constructed Logger. Immutable once made.
  static const auto sink = file_sink(stderr, &format_logfmt);
  return Logger(sink, min_level);
}

Logger Logger::logfmt(LogLevel min_level, std::FILE* out) {
  return Logger(file_sink(out, &format_logfmt), min_level);
}

Logger Logger::json_lines(LogLevel min_level, std::FILE* out) {
  return Logger(file_sink(out, &format_json_line), min_level);
}

Logger Logger::null() {
  return Logger(nullptr, LogLevel::off);
}

Logger Logger::with_sink(LogLevel min_level, Sink sink) {
  if (!sink) {
    return null();
  }
  // User sinks get records one at a time, so a capturing sink needs no locking of its own.
  auto serialized = [mutex = std::make_shared<std::mutex>(),
                     sink = std::move(sink)](const LogRecord& record) {
    const std::lock_guard lock(*mutex);
    sink(record);
  };
  return Logger(std::make_shared<const Sink>(std::move(serialized)), min_level);
}

void Logger::set_min_level(LogLevel level) noexcept {
  // A Logger without a sink stays off, so enabled() never promises a record that goes nowhere.
  min_level_ = sink_ ? level : LogLevel::off;
}

void Logger::log(LogLevel level, std::string_view component, std::string_view message,
                 std::initializer_list<LogField> fields) const noexcept {
  if (!enabled(level)) {
    return;
  }
  const Clock& clock = clock_ != nullptr ? *clock_ : Clock::system();
  const LogRecord record{level, component, message,
                         std::span<const LogField>(fields.begin(), fields.size()), clock.now()};
  try {
    (*sink_)(record);
  } catch (...) {
    // A failing sink must not take its caller down, and there is nowhere left to report it.
  }
}

}  // namespace opsgraph
