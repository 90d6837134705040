#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <opsgraph/core/log.hpp>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace opsgraph {
namespace {

using namespace std::chrono_literals;

// 2026-11-26T10:00:00.000Z
constexpr TimePoint kTestTime{1'795'687'200'000ms};

// An owned copy of a LogRecord, which is only a view during the sink call.
struct Captured {
  LogLevel level;
  std::string component;
  std::string message;
  std::vector<LogField> fields;
  TimePoint time;
};

Logger capturing(LogLevel min_level, std::vector<Captured>& out) {
  return Logger::with_sink(min_level, [&out](const LogRecord& r) {
    out.push_back({r.level, std::string(r.component), std::string(r.message),
                   std::vector<LogField>(r.fields.begin(), r.fields.end()), r.time});
  });
}

// A temporary file that reads back everything written to it.
class TempFile {
 public:
  TempFile() : file_(std::tmpfile()) {}
  ~TempFile() {
    if (file_ != nullptr) {
      std::fclose(file_);
    }
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  std::FILE* get() const { return file_; }

  std::vector<std::string> lines() const {
    std::fflush(file_);
    std::rewind(file_);
    std::vector<std::string> out;
    std::string line;
    for (int c = std::fgetc(file_); c != EOF; c = std::fgetc(file_)) {
      if (c == '\n') {
        out.push_back(std::move(line));
        line.clear();
      } else {
        line += static_cast<char>(c);
      }
    }
    EXPECT_TRUE(line.empty()) << "unterminated last line: " << line;
    return out;
  }

 private:
  std::FILE* file_;
};

LogRecord record(std::string_view message, std::span<const LogField> fields,
                 LogLevel level = LogLevel::info, std::string_view component = "graph") {
  return LogRecord{level, component, message, fields, kTestTime};
}

TEST(LogLevelTest, NamesRoundTrip) {
  for (LogLevel level : {LogLevel::trace, LogLevel::debug, LogLevel::info, LogLevel::warn,
                         LogLevel::error, LogLevel::off}) {
    auto parsed = parse_log_level(to_string(level));
    ASSERT_TRUE(parsed) << to_string(level);
    EXPECT_EQ(parsed.value(), level);
  }
  EXPECT_EQ(to_string(LogLevel::warn), "warn");
  EXPECT_EQ(parse_log_level("warning").value(), LogLevel::warn);
  auto bad = parse_log_level("verbose");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, errc::invalid_argument);
  EXPECT_NE(bad.error().message.find("verbose"), std::string::npos);
  EXPECT_FALSE(parse_log_level("INFO"));
}

TEST(LogFieldTest, FormatsValuesAsText) {
  const std::string owned = "owned";
  const std::string_view view = "view";
  EXPECT_EQ(LogField("k", owned).value, "owned");
  EXPECT_EQ(LogField("k", view).value, "view");
  EXPECT_EQ(LogField("k", "literal").value, "literal");
  EXPECT_EQ(LogField("k", 42).value, "42");
  EXPECT_EQ(LogField("k", -7L).value, "-7");
  EXPECT_EQ(LogField("k", std::uint64_t{18'446'744'073'709'551'615U}).value,
            "18446744073709551615");
  EXPECT_EQ(LogField("k", true).value, "true");
  EXPECT_EQ(LogField("k", false).value, "false");
  EXPECT_EQ(LogField("k", 0.25).value, "0.25");
  EXPECT_EQ(LogField("k", 3.5F).value, "3.5");
  EXPECT_EQ(LogField("attempt", 1).key, "attempt");
}

TEST(LoggerTest, EnabledFollowsTheMinimumLevel) {
  std::vector<Captured> seen;
  Logger log = capturing(LogLevel::warn, seen);
  EXPECT_FALSE(log.enabled(LogLevel::trace));
  EXPECT_FALSE(log.enabled(LogLevel::info));
  EXPECT_TRUE(log.enabled(LogLevel::warn));
  EXPECT_TRUE(log.enabled(LogLevel::error));
  EXPECT_FALSE(log.enabled(LogLevel::off));

  log.info("graph", "dropped");
  log.warn("graph", "kept");
  log.log(LogLevel::off, "graph", "never");
  ASSERT_EQ(seen.size(), 1U);
  EXPECT_EQ(seen[0].message, "kept");

  log.set_min_level(LogLevel::trace);
  log.trace("graph", "now kept");
  ASSERT_EQ(seen.size(), 2U);
  EXPECT_EQ(seen[1].level, LogLevel::trace);
}

TEST(LoggerTest, CopiesShareTheSinkButNotTheLevel) {
  std::vector<Captured> seen;
  Logger a = capturing(LogLevel::info, seen);
  Logger b = a;
  b.set_min_level(LogLevel::error);
  a.info("x", "from a");
  b.info("x", "filtered by b");
  b.error("x", "from b");
  ASSERT_EQ(seen.size(), 2U);
  EXPECT_EQ(seen[0].message, "from a");
  EXPECT_EQ(seen[1].message, "from b");
}

TEST(LoggerTest, NullLoggerIsNeverEnabled) {
  Logger log = Logger::null();
  log.set_min_level(LogLevel::trace);
  for (LogLevel level : {LogLevel::trace, LogLevel::info, LogLevel::error}) {
    EXPECT_FALSE(log.enabled(level));
  }
  log.error("graph", "goes nowhere");
  EXPECT_FALSE(Logger::with_sink(LogLevel::trace, nullptr).enabled(LogLevel::error));
}

TEST(LoggerTest, SinkReceivesTheWholeRecord) {
  std::vector<Captured> seen;
  Logger log = capturing(LogLevel::debug, seen);
  ManualClock clock(kTestTime);
  log.set_clock(clock);
  const std::string run_id = "0193a5f2-7c1e-7a3b-9f2d-4c6e8a1b3d5f";
  log.error("graph", "node failed", {{"run_id", run_id}, {"node", "plan"}, {"attempt", 3}});
  clock.advance(1500ms);
  log.debug("store", "lease renewed");

  ASSERT_EQ(seen.size(), 2U);
  EXPECT_EQ(seen[0].level, LogLevel::error);
  EXPECT_EQ(seen[0].component, "graph");
  EXPECT_EQ(seen[0].message, "node failed");
  EXPECT_EQ(seen[0].time, kTestTime);
  ASSERT_EQ(seen[0].fields.size(), 3U);
  EXPECT_EQ(seen[0].fields[0].key, "run_id");
  EXPECT_EQ(seen[0].fields[0].value, run_id);
  EXPECT_EQ(seen[0].fields[1].value, "plan");
  EXPECT_EQ(seen[0].fields[2].value, "3");
  EXPECT_EQ(seen[1].time, kTestTime + 1500ms);
  EXPECT_TRUE(seen[1].fields.empty());
}

TEST(LoggerTest, RecordsTakeTheSystemTimeByDefault) {
  std::vector<Captured> seen;
  Logger log = capturing(LogLevel::info, seen);
  const TimePoint before = Clock::system().now();
  log.info("c", "m");
  const TimePoint after = Clock::system().now();
  ASSERT_EQ(seen.size(), 1U);
  EXPECT_LE(before, seen[0].time);
  EXPECT_LE(seen[0].time, after);
}

TEST(LoggerTest, ASinkThatThrowsDoesNotReachTheCaller) {
  int calls = 0;
  Logger log = Logger::with_sink(LogLevel::info, [&calls](const LogRecord&) {
    ++calls;
    throw std::runtime_error("sink broke");
  });
  EXPECT_NO_THROW(log.info("c", "one"));
  EXPECT_NO_THROW(log.info("c", "two"));
  EXPECT_EQ(calls, 2);
}

TEST(LoggerTest, SinkCallsAreSerializedAcrossThreads) {
  // The capturing vector has no lock of its own: the Logger must provide one.
  std::vector<Captured> seen;
  Logger log = capturing(LogLevel::info, seen);
  constexpr int kThreads = 4;
  constexpr int kPerThread = 5000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([log, t] {
      for (int i = 0; i < kPerThread; ++i) {
        log.info("worker", "tick", {{"thread", t}, {"i", i}});
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  ASSERT_EQ(seen.size(), static_cast<std::size_t>(kThreads * kPerThread));
  std::vector<int> next(kThreads, 0);
  for (const Captured& c : seen) {
    const int t = std::stoi(c.fields.at(0).value);
    EXPECT_EQ(std::stoi(c.fields.at(1).value), next.at(t)++);
  }
}

TEST(LogfmtTest, WritesTimeLevelComponentMessageAndFields) {
  const LogField fields[] = {
      {"run_id", "0193a5f2-7c1e-7a3b-9f2d-4c6e8a1b3d5f"}, {"node", "plan"}, {"attempt", 2}};
  EXPECT_EQ(format_logfmt(record("node failed", fields)),
            "2026-11-26T10:00:00.000Z info graph msg=\"node failed\" "
            "run_id=0193a5f2-7c1e-7a3b-9f2d-4c6e8a1b3d5f node=plan attempt=2");
  EXPECT_EQ(format_logfmt(record("started", {}, LogLevel::warn, "store")),
            "2026-11-26T10:00:00.000Z warn store msg=started");
}

TEST(LogfmtTest, QuotesAndEscapesValuesOnlyWhenNeeded) {
  const LogField fields[] = {{"empty", ""},
                             {"eq", "a=b"},
                             {"quote", "say \"hi\""},
                             {"lines", "one\ntwo\r\tthree"},
                             {"ctl", std::string("nul\0bell\x07", 9)},
                             {"path", "C:\\Windows"},
                             {"quoted_path", "C:\\Program Files"},
                             {"utf8", "caf\xC3\xA9"}};
  EXPECT_EQ(format_logfmt(record("m", fields)),
            "2026-11-26T10:00:00.000Z info graph msg=m empty=\"\" eq=\"a=b\" "
            "quote=\"say \\\"hi\\\"\" lines=\"one\\ntwo\\r\\tthree\" "
            "ctl=\"nul\\u0000bell\\u0007\" path=C:\\Windows "
            "quoted_path=\"C:\\\\Program Files\" utf8=caf\xC3\xA9");
}

TEST(LogfmtTest, KeepsKeysAndComponentOneWord) {
  const LogField fields[] = {{"bad key=x", "v"}, {"", "v2"}};
  EXPECT_EQ(format_logfmt(record("m", fields, LogLevel::error, "my graph")),
            "2026-11-26T10:00:00.000Z error my_graph msg=m bad_key_x=v _=v2");
}

TEST(JsonLineTest, WritesOneObjectWithFieldsAtTopLevel) {
  const LogField fields[] = {{"node", "plan"}, {"attempt", 2}};
  EXPECT_EQ(format_json_line(record("node failed", fields, LogLevel::debug)),
            R"({"time":"2026-11-26T10:00:00.000Z","level":"debug","component":"graph",)"
            R"("msg":"node failed","node":"plan","attempt":"2"})");
}

// JSON needs no escape for DEL; a truncated sequence is one replacement (its maximal subpart).
TEST(JsonLineTest, EscapesStringsAndRepairsInvalidUtf8) {
  const LogField fields[] = {{"text", "quote\" backslash\\ nl\n tab\t ctl\x01 del\x7f"},
                             {"utf8", "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"},
                             {"bad",
                              "a\xFF"
                              "b\xC3"
                              "c\xED\xA0\x80"
                              "d\xC0\xAF"
                              "e\xF4\x90\x80\x80"},
                             {"trunc", "\xE2\x82"},
                             {"key\"q", "v"}};
  const std::string repl = "\xEF\xBF\xBD";
  EXPECT_EQ(format_json_line(record("m", fields)),
            R"({"time":"2026-11-26T10:00:00.000Z","level":"info","component":"graph","msg":"m",)"
            "\"text\":\"quote\\\" backslash\\\\ nl\\n tab\\t ctl\\u0001 del\x7f\","
            "\"utf8\":\"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\","
            "\"bad\":\"a" +
                repl + "b" + repl + "c" + repl + repl + repl + "d" + repl + repl + "e" + repl +
                repl + repl + repl + "\"," + "\"trunc\":\"" + repl + "\"," + R"("key\"q":"v"})");
}

TEST(JsonLineTest, RenamesFieldsThatWouldShadowTheRecordKeys) {
  const LogField fields[] = {{"msg", "x"}, {"level", "y"}, {"time", "z"}, {"component", "w"}};
  EXPECT_EQ(format_json_line(record("m", fields)),
            R"({"time":"2026-11-26T10:00:00.000Z","level":"info","component":"graph","msg":"m",)"
            R"("_msg":"x","_level":"y","_time":"z","_component":"w"})");
}

TEST(LoggerFileTest, LogfmtWritesOneFlushedLinePerRecord) {
  TempFile file;
  ASSERT_NE(file.get(), nullptr);
  ManualClock clock(kTestTime);
  Logger log = Logger::logfmt(LogLevel::info, file.get());
  log.set_clock(clock);
  log.info("graph", "node started", {{"node", "plan"}});
  log.debug("graph", "filtered");
  clock.advance(4120ms);
  log.error("graph", "line\nbreak");

  const auto lines = file.lines();
  ASSERT_EQ(lines.size(), 2U);
  EXPECT_EQ(lines[0], "2026-11-26T10:00:00.000Z info graph msg=\"node started\" node=plan");
  EXPECT_EQ(lines[1], "2026-11-26T10:00:04.120Z error graph msg=\"line\\nbreak\"");
}

TEST(LoggerFileTest, JsonLinesWritesOneObjectPerLine) {
  TempFile file;
  ASSERT_NE(file.get(), nullptr);
  ManualClock clock(kTestTime);
  Logger log = Logger::json_lines(LogLevel::trace, file.get());
  log.set_clock(clock);
  log.trace("llm", "request", {{"model", "gpt"}, {"tokens", 12}});
  log.warn("llm", "retry after \"429\"");

  const auto lines = file.lines();
  ASSERT_EQ(lines.size(), 2U);
  EXPECT_EQ(lines[0], R"({"time":"2026-11-26T10:00:00.000Z","level":"trace","component":"llm",)"
                      R"("msg":"request","model":"gpt","tokens":"12"})");
  EXPECT_EQ(lines[1], R"({"time":"2026-11-26T10:00:00.000Z","level":"warn","component":"llm",)"
                      R"("msg":"retry after \"429\""})");
}

TEST(LoggerFileTest, LinesFromManyThreadsNeverInterleave) {
  TempFile file;
  ASSERT_NE(file.get(), nullptr);
  ManualClock clock(kTestTime);
  Logger log = Logger::logfmt(LogLevel::info, file.get());
  log.set_clock(clock);
  constexpr int kThreads = 4;
  constexpr int kPerThread = 2000;
  const std::string padding(200, 'p');
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([log, t, &padding] {
      for (int i = 0; i < kPerThread; ++i) {
        log.info("worker", "a message with spaces", {{"thread", t}, {"i", i}, {"pad", padding}});
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }

  const auto lines = file.lines();
  ASSERT_EQ(lines.size(), static_cast<std::size_t>(kThreads * kPerThread));
  std::vector<int> next(kThreads, 0);
  for (const std::string& line : lines) {
    int t = -1;
    int i = -1;
    char pad[256] = {};
    ASSERT_EQ(std::sscanf(line.c_str(),
                          "2026-11-26T10:00:00.000Z info worker msg=\"a message with spaces\" "
                          "thread=%d i=%d pad=%255s",
                          &t, &i, pad),
              3)
        << line;
    ASSERT_EQ(pad, padding) << line;
    ASSERT_TRUE(t >= 0 && t < kThreads) << line;
    EXPECT_EQ(i, next[t]++) << line;
  }
}

// Points a standard file descriptor at a temporary file for the lifetime of the object.
class Redirect {
 public:
  Redirect(std::FILE* stream, std::FILE* target)
      : stream_(stream), fd_(fileno(stream)), saved_(dup(fd_)) {
    std::fflush(stream_);
    dup2(fileno(target), fd_);
  }
  ~Redirect() {
    std::fflush(stream_);
    dup2(saved_, fd_);
    close(saved_);
  }
  Redirect(const Redirect&) = delete;
  Redirect& operator=(const Redirect&) = delete;

 private:
  std::FILE* stream_;
  int fd_;
  int saved_;
};

TEST(LoggerDefaultTest, WritesLogfmtToStderrAndNothingToStdout) {
  TempFile err;
  TempFile out;
  ASSERT_NE(err.get(), nullptr);
  ASSERT_NE(out.get(), nullptr);
  {
    Redirect to_err(stderr, err.get());
    Redirect to_out(stdout, out.get());
    Logger log;
    EXPECT_TRUE(log.enabled(LogLevel::info));
    EXPECT_FALSE(log.enabled(LogLevel::debug));
    log.info("engine", "ready", {{"workers", 2}});
    log.debug("engine", "hidden");
    Logger::to_stderr(LogLevel::debug).debug("engine", "shown");
  }
  const auto lines = err.lines();
  ASSERT_EQ(lines.size(), 2U);
  EXPECT_NE(lines[0].find(" info engine msg=ready workers=2"), std::string::npos) << lines[0];
  EXPECT_EQ(lines[0].size(), std::string("2026-11-26T10:00:00.000Z").size() +
                                 std::string(" info engine msg=ready workers=2").size());
  EXPECT_NE(lines[1].find(" debug engine msg=shown"), std::string::npos) << lines[1];
  EXPECT_TRUE(out.lines().empty());
}

}  // namespace
}  // namespace opsgraph
