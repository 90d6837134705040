// The long-lived Python syntax checker: the same reports as one process per script, many threads
// on one process, a parse that times out, a server killed from outside or answering garbage, and
// no process left behind. The real python3 where the test needs a process; a scripted launcher
// where it needs a failure python cannot be made to produce.

#include "safety/python_checker.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <atomic>
#include <cerrno>
#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "support/temp_dir.hpp"
#include "unit/safety/safety_test_support.hpp"

namespace opsgraph::safety {
namespace {

using detail::ParserServer;
using detail::ParserServerLauncher;
using detail::PythonChecker;
using detail::ServerReply;
using namespace std::chrono_literals;

const std::string& python() {
  return testing::default_checker().python_path();
}

// The tools and runner a check needs for its per-process path.
struct Context {
  SubprocessRunner runner;
  detail::Tools tools;
  std::chrono::milliseconds timeout;

  explicit Context(std::chrono::milliseconds t = 10s) : timeout(t) { tools.python = python(); }
  detail::ToolContext get() const { return {runner, tools, timeout}; }
};

// True once `pid` is no child of ours any more: it exited and was reaped.
bool reaped(int pid) {
  siginfo_t info{};
  return ::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) != 0 &&
         errno == ECHILD;
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The corpus's Python scripts plus inputs whose errors are not plain SyntaxErrors.
std::vector<std::string> python_inputs() {
  std::vector<std::string> inputs;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(OPSGRAPH_TEST_DATA_DIR) + "/scripts/python"))
    inputs.push_back(read_text(entry.path()));
  inputs.push_back("");
  inputs.push_back(std::string("x = 1\n\0\n", 8));
  inputs.push_back("s = '\xff\xfe'\n");
  inputs.push_back("# -*- coding: latin-1 -*-\ns = '\xe9'\n");
  inputs.push_back("# -*- coding: no-such-codec -*-\n");
  inputs.push_back("x = " + std::string(300, '(') + std::string(300, ')') + "\n");
  inputs.push_back("x = " + std::string(100000, '-') + "1\n");
  inputs.push_back("def f(:\n  pass\n\n\tif x:\n");
  return inputs;
}

std::unique_ptr<PythonChecker> real_checker() {
  return std::make_unique<PythonChecker>(detail::python_server_launcher(python()));
}

TEST(PythonChecker, ReportsWhatTheOneShotProgramReports) {
  if (python().empty())
    GTEST_SKIP() << "python3 is not installed";
  const Context context;
  const auto checker = real_checker();
  int pid = 0;
  int failing = 0;
  for (const std::string& script : python_inputs()) {
    const SyntaxReport once = detail::check_python_syntax(context.get(), script);
    const SyntaxReport served = checker->check(context.get(), script);
    EXPECT_EQ(served, once) << script.substr(0, 80);
    failing += once.ok ? 0 : 1;
    if (pid == 0)
      pid = checker->server_pid();
    EXPECT_EQ(checker->server_pid(), pid) << "one process answers every script";
  }
  EXPECT_NE(pid, 0);
  EXPECT_GE(failing, 8) << "the inputs cover errors, not only clean scripts";
}

TEST(PythonChecker, ScriptCheckerReportsAreTheSameWithAndWithoutTheServer) {
  if (python().empty())
    GTEST_SKIP() << "python3 is not installed";
  SubprocessRunner runner;
  ScriptCheckerOptions per_process;
  per_process.runner = &runner;  // an explicit runner keeps one process per script
  per_process.shellcheck_path = "";
  auto once = ScriptChecker::create(per_process);
  ScriptCheckerOptions served_options;
  served_options.shellcheck_path = "";
  auto served = ScriptChecker::create(served_options);
  ASSERT_TRUE(once && served);
  for (const std::string& script : python_inputs()) {
    auto a = once.value().check(script, Language::python);
    auto b = served.value().check(script, Language::python);
    ASSERT_TRUE(a && b);
    EXPECT_EQ(b.value(), a.value()) << script.substr(0, 80);
  }
}

TEST(PythonChecker, ManyThreadsShareOneProcess) {
  if (python().empty())
    GTEST_SKIP() << "python3 is not installed";
  const Context context;
  const auto checker = real_checker();
  const std::string good = "import os\nprint(os.getcwd())\n";
  const std::string bad = "x = 1\n\ndef f(:\n    pass\n";
  const SyntaxReport good_once = detail::check_python_syntax(context.get(), good);
  const SyntaxReport bad_once = detail::check_python_syntax(context.get(), bad);
  ASSERT_TRUE(good_once.ok);
  ASSERT_FALSE(bad_once.ok);

  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        const bool use_good = (i + t) % 2 == 0;
        const SyntaxReport report = checker->check(context.get(), use_good ? good : bad);
        if (report != (use_good ? good_once : bad_once))
          ++mismatches;
      }
    });
  }
  const int pid = [&] {
    for (int i = 0; i < 1000 && checker->server_pid() == 0; ++i)
      std::this_thread::sleep_for(1ms);
    return checker->server_pid();
  }();
  for (std::thread& thread : threads)
    thread.join();
  EXPECT_EQ(mismatches.load(), 0);
  EXPECT_NE(pid, 0);
  EXPECT_EQ(checker->server_pid(), pid) << "no restart under contention";
}

TEST(PythonChecker, AParseThatTakesTooLongTimesOutAndTheNextCheckWorks) {
  if (python().empty())
    GTEST_SKIP() << "python3 is not installed";
  const auto checker = real_checker();
  const Context generous;
  ASSERT_TRUE(checker->check(generous.get(), "x = 1\n").ok);
  const int first = checker->server_pid();
  ASSERT_NE(first, 0);

  // A megabyte of assignments: ast.parse needs seconds for it.
  std::string slow;
  while (slow.size() < (std::size_t{1} << 20) - 8)
    slow += "x=1\n";
  const Context hurried(200ms);
  const auto started = std::chrono::steady_clock::now();
  const SyntaxReport timed_out = checker->check(hurried.get(), slow);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
  EXPECT_FALSE(timed_out.ok);
  EXPECT_EQ(timed_out.checker, "python ast");
  ASSERT_EQ(timed_out.errors.size(), 1u);
  EXPECT_EQ(timed_out.errors[0].message, "python ast did not finish in time");
  EXPECT_EQ(checker->server_pid(), 0) << "the stuck process is gone";
  EXPECT_TRUE(reaped(first));

  const SyntaxReport next = checker->check(generous.get(), "def f(:\n");
  EXPECT_EQ(next, detail::check_python_syntax(generous.get(), "def f(:\n"));
  EXPECT_NE(checker->server_pid(), 0);
  EXPECT_NE(checker->server_pid(), first);
}

TEST(PythonChecker, AServerKilledFromOutsideIsRestarted) {
  if (python().empty())
    GTEST_SKIP() << "python3 is not installed";
  const Context context;
  const auto checker = real_checker();
  const std::string bad = "for x in y\n    pass\n";
  const SyntaxReport expected = detail::check_python_syntax(context.get(), bad);
  std::vector<int> pids;
  for (int i = 0; i < 12; ++i) {
    EXPECT_EQ(checker->check(context.get(), bad), expected) << "check " << i;
    const int pid = checker->server_pid();
    ASSERT_NE(pid, 0);
    if (pids.empty() || pids.back() != pid)
      pids.push_back(pid);
    if (i % 4 == 1) {
      ASSERT_EQ(::kill(pid, SIGKILL), 0);
    }
  }
  EXPECT_EQ(pids.size(), 4u) << "one restart per kill, none otherwise";
  for (std::size_t i = 0; i + 1 < pids.size(); ++i)
    EXPECT_TRUE(reaped(pids[i])) << pids[i];
}

TEST(PythonChecker, DestroyingTheCheckerReapsItsProcess) {
  if (python().empty())
    GTEST_SKIP() << "python3 is not installed";
  const Context context;
  auto checker = real_checker();
  EXPECT_EQ(checker->server_pid(), 0) << "started on the first check, not before";
  ASSERT_TRUE(checker->check(context.get(), "print(1)\n").ok);
  const int pid = checker->server_pid();
  ASSERT_NE(pid, 0);
  EXPECT_FALSE(reaped(pid));
  checker.reset();
  EXPECT_TRUE(reaped(pid));
}

TEST(PythonChecker, AProgramThatAnswersGarbageFallsBackToOneProcessPerScript) {
  if (python().empty())
    GTEST_SKIP() << "python3 is not installed";
  opsgraph::testing::TempDir dir;
  const std::string liar = dir.file("liar");
  std::ofstream(liar) << "#!/bin/sh\necho 'this is not a reply'\nexec cat >/dev/null\n";
  const std::string quitter = dir.file("quitter");
  std::ofstream(quitter) << "#!/bin/sh\nexit 0\n";
  for (const std::string& program : {liar, quitter}) {
    std::filesystem::permissions(program, std::filesystem::perms::owner_all);
    const Context context;
    PythonChecker checker(detail::python_server_launcher(program));
    const std::string bad = "print('unterminated\n";
    for (int i = 0; i < PythonChecker::kMaxFailures + 2; ++i) {
      EXPECT_EQ(checker.check(context.get(), bad), detail::check_python_syntax(context.get(), bad))
          << program;
      EXPECT_EQ(checker.server_pid(), 0) << "a broken server is not kept";
    }
  }
}

// A launcher whose servers answer from a script of replies, recording what they were asked.
class ScriptedLauncher final : public ParserServerLauncher {
 public:
  struct State {
    std::mutex mutex;
    std::deque<ServerReply> replies;
    int starts = 0;
    int parses = 0;
    bool refuse_start = false;
  };

  explicit ScriptedLauncher(std::shared_ptr<State> state) : state_(std::move(state)) {}

  result<std::unique_ptr<ParserServer>> start() const override {
    std::lock_guard lock(state_->mutex);
    if (state_->refuse_start)
      return fail(errc::internal, "no processes left");
    ++state_->starts;
    return std::unique_ptr<ParserServer>(new Server(state_));
  }

 private:
  class Server final : public ParserServer {
   public:
    explicit Server(std::shared_ptr<State> state) : state_(std::move(state)) {}
    ServerReply parse(std::string_view, std::chrono::milliseconds) override {
      std::lock_guard lock(state_->mutex);
      ++state_->parses;
      if (state_->replies.empty())
        return ServerReply{ServerReply::Kind::answered, false, ""};
      ServerReply reply = state_->replies.front();
      state_->replies.pop_front();
      return reply;
    }
    int pid() const noexcept override { return 0; }

   private:
    std::shared_ptr<State> state_;
  };

  std::shared_ptr<State> state_;
};

// Answers every per-process run as a syntax error on line 7, counting the runs.
class CountingRunner final : public ProcessRunner {
 public:
  result<ProcessResult> run(const ProcessRequest&) const override {
    ++runs;
    return ProcessResult{1, 0, false, "7:1:from the per-process program\n", "", false};
  }
  mutable std::atomic<int> runs{0};
};

struct Scripted {
  std::shared_ptr<ScriptedLauncher::State> state = std::make_shared<ScriptedLauncher::State>();
  CountingRunner runner;
  detail::Tools tools{"", "/fake/python3", "", "", ""};
  PythonChecker checker{std::make_unique<ScriptedLauncher>(state)};

  SyntaxReport check() { return checker.check({runner, tools, 1s}, "x = 1\n"); }
  void push(ServerReply::Kind kind, bool failed = false, std::string output = "") {
    std::lock_guard lock(state->mutex);
    state->replies.push_back(ServerReply{kind, failed, std::move(output)});
  }
};

TEST(PythonChecker, ReadsTheServersAnswer) {
  Scripted s;
  s.push(ServerReply::Kind::answered, true, "3:5:invalid syntax\n");
  const SyntaxReport report = s.check();
  EXPECT_EQ(report, (SyntaxReport{false, "python ast", false, {{3, 5, "invalid syntax"}}}));
  EXPECT_TRUE(s.check().ok);
  EXPECT_EQ(s.state->starts, 1);
  EXPECT_EQ(s.runner.runs.load(), 0);
}

TEST(PythonChecker, ABrokenServerIsRestartedOnceForTheSameCheck) {
  Scripted s;
  s.push(ServerReply::Kind::broken);
  EXPECT_TRUE(s.check().ok) << "answered by the restarted server";
  EXPECT_EQ(s.state->starts, 2);
  EXPECT_EQ(s.runner.runs.load(), 0);

  s.push(ServerReply::Kind::broken);
  s.push(ServerReply::Kind::broken);
  const SyntaxReport fallback = s.check();
  EXPECT_EQ(fallback.errors.at(0).line, 7u) << "the per-process program answered";
  EXPECT_EQ(s.state->starts, 3);
  EXPECT_EQ(s.runner.runs.load(), 1);
  EXPECT_TRUE(s.check().ok) << "the next check starts a server again";
  EXPECT_EQ(s.state->starts, 4);
}

TEST(PythonChecker, ATimedOutServerIsReplacedOnTheNextCheck) {
  Scripted s;
  s.push(ServerReply::Kind::timed_out);
  const SyntaxReport report = s.check();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.errors.at(0).message, "python ast did not finish in time");
  EXPECT_EQ(s.state->starts, 1);
  EXPECT_EQ(s.runner.runs.load(), 0) << "a timeout is the verdict, not a reason to retry";
  EXPECT_TRUE(s.check().ok);
  EXPECT_EQ(s.state->starts, 2);
}

TEST(PythonChecker, StopsStartingServersThatNeverAnswer) {
  Scripted s;
  for (int i = 0; i < 2 * PythonChecker::kMaxFailures; ++i)
    s.push(ServerReply::Kind::broken);
  for (int i = 0; i < PythonChecker::kMaxFailures + 3; ++i)
    EXPECT_EQ(s.check().errors.at(0).line, 7u);
  EXPECT_EQ(s.state->starts, 2 * PythonChecker::kMaxFailures);
  EXPECT_EQ(s.runner.runs.load(), PythonChecker::kMaxFailures + 3);
}

TEST(PythonChecker, AServerThatCannotStartFallsBackToOneProcessPerScript) {
  Scripted s;
  s.state->refuse_start = true;
  EXPECT_EQ(s.check().errors.at(0).line, 7u);
  EXPECT_EQ(s.runner.runs.load(), 1);
}

TEST(PythonChecker, NoPythonMeansNoCheckerAsBefore) {
  Scripted s;
  s.tools.python.clear();
  EXPECT_EQ(s.check(), (SyntaxReport{true, "none", true, {}}));
  EXPECT_EQ(s.state->starts, 0);
  EXPECT_EQ(s.runner.runs.load(), 0);
}

}  // namespace
}  // namespace opsgraph::safety
