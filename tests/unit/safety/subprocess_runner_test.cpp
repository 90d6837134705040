// SubprocessRunner against real processes: output capture, no shell, closed stdin, a fresh working
// directory with the input files, the output cap, and a timeout that kills the process group.

#include <gtest/gtest.h>

#include <opsgraph/safety/process_runner.hpp>
#include <string>
#include <vector>

namespace opsgraph::safety {
namespace {

ProcessRequest request_of(std::vector<std::string> argv) {
  ProcessRequest request;
  request.argv = std::move(argv);
  return request;
}

ProcessResult run(const ProcessRequest& request) {
  auto ran = SubprocessRunner().run(request);
  EXPECT_TRUE(ran) << ran.error().message;
  return ran ? std::move(ran).value() : ProcessResult{};
}

TEST(SubprocessRunner, CapturesStdoutStderrAndExitCode) {
  const ProcessResult result =
      run(request_of({"/bin/bash", "-c", "echo out; echo err >&2; exit 3"}));
  EXPECT_EQ(result.stdout_text, "out\n");
  EXPECT_EQ(result.stderr_text, "err\n");
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_FALSE(result.timed_out);
}

TEST(SubprocessRunner, PassesArgumentsWithoutAShell) {
  const ProcessResult result = run(request_of({"/bin/echo", "a; echo injected", "$(id)", "*"}));
  EXPECT_EQ(result.stdout_text, "a; echo injected $(id) *\n");
}

TEST(SubprocessRunner, StdinIsClosed) {
  // cat reads standard input to its end: /dev/null ends at once, a terminal or pipe would hang.
  ProcessRequest request = request_of({"/bin/cat"});
  request.timeout = std::chrono::seconds(20);
  const ProcessResult result = run(request);
  EXPECT_FALSE(result.timed_out);
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.stdout_text, "");
}

TEST(SubprocessRunner, RunsInAFreshDirectoryHoldingTheInputFiles) {
  ProcessRequest request = request_of({"/bin/bash", "-c", "ls -A; cat script.sh"});
  request.files.push_back(InputFile{"script.sh", "hello\n"});
  const ProcessResult first = run(request);
  EXPECT_EQ(first.stdout_text, "script.sh\nhello\n");
  ProcessRequest probe = request_of({"/bin/pwd"});
  EXPECT_NE(run(probe).stdout_text, run(probe).stdout_text) << "each run gets its own directory";
}

TEST(SubprocessRunner, TimeoutKillsTheWholeProcessGroup) {
  // The child shell starts a grandchild that would keep the pipe open after the shell dies.
  ProcessRequest request = request_of({"/bin/bash", "-c", "sleep 30 & sleep 30; echo never"});
  request.timeout = std::chrono::milliseconds(300);
  const ProcessResult result = run(request);
  EXPECT_TRUE(result.timed_out);
  EXPECT_EQ(result.signal, SIGKILL);
  EXPECT_EQ(result.stdout_text, "");
}

TEST(SubprocessRunner, CapsOutput) {
  ProcessRequest request = request_of({"/bin/bash", "-c", "head -c 100000 /dev/zero"});
  request.max_output_bytes = 1000;
  const ProcessResult result = run(request);
  EXPECT_EQ(result.stdout_text.size(), 1000u);
  EXPECT_TRUE(result.output_truncated);
  EXPECT_EQ(result.exit_code, 0);
}

TEST(SubprocessRunner, RefusesRelativeProgramsAndBadFileNames) {
  auto relative = SubprocessRunner().run(request_of({"bash", "-c", "true"}));
  ASSERT_FALSE(relative);
  EXPECT_EQ(relative.error().code, errc::invalid_argument);
  ProcessRequest escape = request_of({"/bin/true"});
  escape.files.push_back(InputFile{"../escape", "x"});
  auto escaped = SubprocessRunner().run(escape);
  ASSERT_FALSE(escaped);
  EXPECT_EQ(escaped.error().code, errc::invalid_argument);
}

TEST(SubprocessRunner, MissingProgramIsAnError) {
  auto ran = SubprocessRunner().run(request_of({"/nonexistent/tool"}));
  ASSERT_FALSE(ran);
  EXPECT_NE(ran.error().message.find("/nonexistent/tool"), std::string::npos);
}

}  // namespace
}  // namespace opsgraph::safety
