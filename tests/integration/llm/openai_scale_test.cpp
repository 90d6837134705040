// 1,000 calls in flight at once on a two-thread io_context, each answered after 200 ms: no
// thread per call, so they overlap and finish in a few seconds.

#include <future>
#include <iostream>

#include "integration/llm/provider_fixture.hpp"

namespace opsgraph::llm::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

TEST_F(OpenAIProviderTest, AThousandConcurrentCallsOnTwoThreads) {
  constexpr int kCalls = 1000;
  raise_open_file_limit(8192);
  add_rule(slow_answer_rule("pong", milliseconds{200}));
  auto cfg = config();
  cfg.max_concurrent = kCalls;
  cfg.logger = Logger::null();
  auto p = provider(cfg);

  CallTally tally(kCalls, "pong");
  auto finished = tally.all_done.get_future();
  const auto started = steady_clock::now();
  for (int i = 0; i < kCalls; ++i)
    spawn(runtime_.executor(), call_and_count(p, ask("ping " + std::to_string(i)), &tally));
  ASSERT_EQ(finished.wait_for(std::chrono::seconds{60}), std::future_status::ready);
  const auto took = std::chrono::duration_cast<milliseconds>(steady_clock::now() - started);

  EXPECT_EQ(tally.succeeded.load(), kCalls);
  EXPECT_EQ(chat_requests(), static_cast<std::uint64_t>(kCalls));
  EXPECT_LE(took, milliseconds{20'000});
  std::cout << "[ figures  ] " << kCalls
            << " calls, 200 ms server latency, 2 io threads: " << took.count() << " ms\n";
}

}  // namespace
}  // namespace opsgraph::llm::testing
