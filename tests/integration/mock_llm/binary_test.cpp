// The opsgraph-mock-llm program: started on port 0 with --print-port and a rules file, it answers
// by the rules, and SIGTERM stops it cleanly; a bad rules file stops it before it listens.

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <fstream>

#include "chat_client.hpp"
#include "support/child_process.hpp"
#include "support/temp_dir.hpp"

namespace opsgraph::mock::testing {
namespace {

using std::chrono::seconds;

TEST(MockLlmBinary, PrintsItsPortServesRulesAndStopsOnSigterm) {
  opsgraph::testing::TempDir dir;
  const auto rules = dir.file("rules.json");
  std::ofstream(rules) << R"({"rules": [{"match": {"user_contains": "disk"},
                                         "response": {"content": "from the rules file"}}]})";
  auto child = opsgraph::testing::ChildProcess::spawn(
      OPSGRAPH_MOCK_LLM_BINARY,
      {"--print-port", "--port", "0", "--rules", rules, "--threads", "1"});
  ASSERT_TRUE(child);
  const auto line = child->read_line(seconds(20));
  ASSERT_TRUE(line) << "no port printed";
  const int port = std::stoi(*line);
  ASSERT_GT(port, 0);

  HttpClient client(static_cast<std::uint16_t>(port));
  auto reply = client.post("/v1/chat/completions", chat_body("m", "disk full"));
  EXPECT_EQ(reply.status, 200u);
  EXPECT_NE(reply.body.find("from the rules file"), std::string::npos) << reply.body;
  client.close();

  child->kill(SIGTERM);
  const int status = child->wait();
  ASSERT_TRUE(WIFEXITED(status)) << "wait status " << status;
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

TEST(MockLlmBinary, BadRulesFileExitsWithUsageError) {
  opsgraph::testing::TempDir dir;
  const auto rules = dir.file("rules.json");
  std::ofstream(rules) << R"({"rules": [{"match": {"modle": "x"}, "response": {}}]})";
  auto child = opsgraph::testing::ChildProcess::spawn(OPSGRAPH_MOCK_LLM_BINARY,
                                                      {"--print-port", "--rules", rules});
  ASSERT_TRUE(child);
  EXPECT_FALSE(child->read_line(seconds(20)));
  const int status = child->wait();
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 2);
}

}  // namespace
}  // namespace opsgraph::mock::testing
