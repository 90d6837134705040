// Cancelling the awaiting coroutine aborts the transfer in flight: the call returns cancelled at
// once and the server sees its connection close.

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <future>
#include <thread>

#include "integration/llm/provider_fixture.hpp"

namespace opsgraph::llm::testing {
namespace {

namespace asio = boost::asio;
using std::chrono::milliseconds;
using std::chrono::steady_clock;

Task<void> call_into(std::shared_ptr<Provider> provider, ChatRequest request,
                     std::promise<result<ChatResponse>>* out) {
  // A coroutine passes on only terminal cancellation unless it says otherwise.
  co_await asio::this_coro::reset_cancellation_state(asio::enable_partial_cancellation());
  auto call = provider->chat(std::move(request));
  out->set_value(co_await std::move(call));
}

/// Polls `done` every few milliseconds for up to `limit`.
template <class Predicate>
bool eventually(Predicate done, milliseconds limit = milliseconds{5000}) {
  const auto until = steady_clock::now() + limit;
  while (!done()) {
    if (steady_clock::now() > until)
      return false;
    std::this_thread::sleep_for(milliseconds{5});
  }
  return true;
}

class OpenAIProviderCancelTest : public OpenAIProviderTest {
 protected:
  /// Starts a call the server never answers, cancels it with `type` once the server holds it,
  /// and checks that it ends promptly, cancelled, with its connection closed.
  void cancel_a_hanging_call(std::shared_ptr<Provider> provider, bool stream,
                             asio::cancellation_type type);
};

void OpenAIProviderCancelTest::cancel_a_hanging_call(std::shared_ptr<Provider> provider,
                                                     bool stream, asio::cancellation_type type) {
  auto strand = asio::make_strand(runtime_.executor());
  asio::cancellation_signal signal;
  std::promise<result<ChatResponse>> promise;
  auto done = promise.get_future();
  asio::co_spawn(strand, call_into(provider, ask("hello", stream), &promise),
                 asio::bind_cancellation_slot(signal.slot(), asio::detached));
  ASSERT_TRUE(eventually([&] { return server_->stats().open_connections == 1; }));
  ASSERT_TRUE(eventually([&] { return server_->stats().faults_injected["hang"] == 1; }));

  const auto cancelled_at = steady_clock::now();
  asio::post(strand, [&signal, type] { signal.emit(type); });
  ASSERT_EQ(done.wait_for(std::chrono::seconds{5}), std::future_status::ready);
  const auto answer = done.get();
  EXPECT_LT(steady_clock::now() - cancelled_at, milliseconds{1000});
  ASSERT_FALSE(answer);
  EXPECT_EQ(answer.error().code, errc::cancelled) << answer.error().message;
  EXPECT_TRUE(eventually([&] { return server_->stats().open_connections == 0; }))
      << "the aborted transfer's connection was not closed";
}

TEST_F(OpenAIProviderCancelTest, TerminalCancellationAbortsTheTransfer) {
  add_rule(fault_rule({fault(mock::FaultKind::hang)}));
  cancel_a_hanging_call(provider(config()), false, asio::cancellation_type::terminal);
  EXPECT_EQ(chat_requests(), 1u);
}

TEST_F(OpenAIProviderCancelTest, PartialCancellationAbortsAStream) {
  add_rule(fault_rule({fault(mock::FaultKind::hang)}));
  cancel_a_hanging_call(provider(config()), true, asio::cancellation_type::partial);
}

TEST_F(OpenAIProviderCancelTest, TheProviderStillWorksAfterACancelledCall) {
  add_rule(fault_rule({fault(mock::FaultKind::hang)}));
  auto p = provider(config());
  cancel_a_hanging_call(p, false, asio::cancellation_type::terminal);
  const auto answer = chat(*p, ask("hello"));
  ASSERT_TRUE(answer) << answer.error().message;
}

}  // namespace
}  // namespace opsgraph::llm::testing
