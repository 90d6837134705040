#pragma once
// Python syntax checks through one long-lived `python3 -I -S` process per ScriptChecker instead of
// one process per script. Private to src/safety; exported only for the safety tests.
//
// The process reads framed scripts on its stdin and answers each on its stdout with what the
// one-shot program (python_once_program) would have printed, produced by the same Python function,
// so both paths report the same SyntaxReport.
//
// Request:  "<bytes>\n" followed by the script's bytes.
// Reply:    "<failed 0|1> <bytes>\n" followed by "line:column:message\n" lines (none when it
// parsed).

#include <chrono>
#include <memory>
#include <mutex>
#include <opsgraph/core/result.hpp>
#include <opsgraph/export.hpp>
#include <opsgraph/safety/syntax_report.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "safety/tools.hpp"

namespace opsgraph::safety::detail {

/// The per-process program: parses the file named by argv[1], prints "line:column:message" and
/// exits 1 on a syntax error.
OPSGRAPH_API std::string python_once_program();

/// The long-lived program: answers framed requests until its stdin closes.
OPSGRAPH_API std::string python_server_program();

/// The SyntaxReport of one parse: `failed` is the one-shot program's non-zero exit, `output` what
/// it printed, `stderr_text` what it wrote to stderr (used only when it failed without saying why).
OPSGRAPH_API SyntaxReport python_syntax_report(bool failed, std::string_view output,
                                               std::string_view stderr_text);

/// What a parser server made of one script.
struct ServerReply {
  enum class Kind {
    answered,   ///< `failed` and `output` hold the parse's verdict
    timed_out,  ///< no complete answer before the timeout
    broken,     ///< the process died, refused the request or wrote something that is not a reply
  };
  Kind kind = Kind::broken;
  /// answered: the script has a syntax error.
  bool failed = false;
  /// answered: the "line:column:message" lines; broken: what went wrong.
  std::string output;
};

/// One running parser process. Not thread-safe (PythonChecker serialises it). Destroying it kills
/// the process and reaps it.
class ParserServer {
 public:
  virtual ~ParserServer() = default;
  /// Sends `script`, waits at most `timeout` for the reply. After anything but `answered` the
  /// server must not be used again.
  virtual ServerReply parse(std::string_view script, std::chrono::milliseconds timeout) = 0;
  /// The process id, or 0 when there is no process (test doubles).
  virtual int pid() const noexcept = 0;
};

/// Starts parser servers. Thread-safe.
class ParserServerLauncher {
 public:
  virtual ~ParserServerLauncher() = default;
  /// An Error when the process cannot be started (missing program, no descriptors left).
  virtual result<std::unique_ptr<ParserServer>> start() const = 0;
};

/// Starts `<python> -I -S -c <python_server_program()>` through posix_spawn: its own process group,
/// working directory /, a fixed environment, stdin and stdout on a socket pair (written with
/// MSG_NOSIGNAL, so a dead server cannot raise SIGPIPE in this process), stderr to /dev/null.
OPSGRAPH_API std::unique_ptr<ParserServerLauncher> python_server_launcher(std::string python);

/// The Python syntax check of a ScriptChecker. Thread-safe: check() may run on many threads; they
/// take turns on the one server (each waits for it at most the tool timeout, then checks in a
/// process of its own). The server starts on the first check; a check that times out kills it (the
/// next check starts another); a server that dies or answers garbage is restarted once for the
/// same check, after which the check runs the per-process program through the context's runner.
/// After kMaxFailures checks in a row that the server could not answer, the checker stops trying
/// and uses the per-process program only.
class OPSGRAPH_API PythonChecker {
 public:
  static constexpr int kMaxFailures = 3;

  explicit PythonChecker(std::unique_ptr<ParserServerLauncher> launcher);
  ~PythonChecker();
  PythonChecker(const PythonChecker&) = delete;
  PythonChecker& operator=(const PythonChecker&) = delete;

  SyntaxReport check(const ToolContext& context, std::string_view script) const;

  /// The running server's process id, or 0 when none is running (tests).
  int server_pid() const;

 private:
  std::optional<SyntaxReport> check_on_server(std::string_view script,
                                              std::chrono::milliseconds timeout) const;

  std::unique_ptr<ParserServerLauncher> launcher_;
  mutable std::timed_mutex mutex_;
  mutable std::unique_ptr<ParserServer> server_;  // guarded by mutex_
  mutable int failures_ = 0;                      // guarded by mutex_
  mutable bool disabled_ = false;                 // guarded by mutex_
};

}  // namespace opsgraph::safety::detail
