// The engine's fan-out of events: one event at a time and in order, and callbacks that call back
// in — publishing, ending a subscription — neither deadlock nor reorder what others see.

#include "engine/notifier.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace opsgraph::engine::detail {
namespace {

using namespace std::chrono_literals;

store::TaskEvent event(std::string task_id, std::string type) {
  store::TaskEvent e;
  e.task_id = std::move(task_id);
  e.type = std::move(type);
  return e;
}

// Runs `body` on a thread of its own and ends the process with a failure, instead of hanging the
// suite, when the body does not finish: a deadlocked thread cannot be unwound past.
void finishes(std::function<void()> body) {
  auto done = std::make_shared<std::promise<void>>();
  auto finished = done->get_future();
  std::thread([body = std::move(body), done] {
    body();
    done->set_value();
  }).detach();
  if (finished.wait_for(10s) != std::future_status::ready) {
    std::fprintf(stderr, "deadlocked\n");
    std::_Exit(1);
  }
}

TEST(NotifierTest, ACallbackMayEndItsOwnSubscription) {
  Notifier notifier;
  int calls = 0;
  std::uint64_t id = 0;
  id = notifier.subscribe("", [&](const store::TaskEvent&) {
    ++calls;
    notifier.unsubscribe(id);
  });
  finishes([&] {
    notifier.publish(event("t1", "a"));
    notifier.publish(event("t1", "b"));
  });
  EXPECT_EQ(calls, 1);
  EXPECT_FALSE(notifier.has_subscribers());
}

TEST(NotifierTest, EventsACallbackCausesFollowItForEverySubscriber) {
  Notifier notifier;
  std::vector<std::string> first_saw;
  std::vector<std::string> second_saw;
  notifier.subscribe("", [&](const store::TaskEvent& e) {
    first_saw.push_back(e.type);
    if (e.type == "approval_asked")
      notifier.publish(event(e.task_id, "approved"));  // as an Engine::approve() from here would
  });
  notifier.subscribe("", [&](const store::TaskEvent& e) { second_saw.push_back(e.type); });
  finishes([&] {
    notifier.publish(event("t1", "approval_asked"));
    notifier.publish(event("t1", "completed"));
  });
  const std::vector<std::string> in_order{"approval_asked", "approved", "completed"};
  EXPECT_EQ(first_saw, in_order);
  EXPECT_EQ(second_saw, in_order) << "the second subscriber saw the first event before the next";
}

TEST(NotifierTest, ASubscriberEndedByAnEarlierCallbackIsNotCalledAgain) {
  Notifier notifier;
  std::uint64_t later = 0;
  int later_calls = 0;
  notifier.subscribe("", [&](const store::TaskEvent&) { notifier.unsubscribe(later); });
  later = notifier.subscribe("", [&](const store::TaskEvent&) { ++later_calls; });
  finishes([&] { notifier.publish(event("t1", "a")); });
  EXPECT_EQ(later_calls, 0);
}

TEST(NotifierTest, WaitersOfAnEventACallbackCausedAreWoken) {
  Notifier notifier;
  bool woken = false;
  notifier.on_next_change("t2", [&] { woken = true; });
  notifier.subscribe("t1", [&](const store::TaskEvent&) { notifier.publish(event("t2", "x")); });
  finishes([&] { notifier.publish(event("t1", "a")); });
  EXPECT_TRUE(woken);
}

TEST(NotifierTest, OtherThreadsWaitForTheDeliveryInProgress) {
  Notifier notifier;
  std::promise<void> entered;
  std::promise<void> release;
  auto released = release.get_future().share();
  std::vector<std::string> seen;
  notifier.subscribe("", [&](const store::TaskEvent& e) {
    seen.push_back(e.type);
    if (e.type == "slow") {
      entered.set_value();
      released.wait();
      notifier.publish(event("t1", "caused"));
    }
  });
  finishes([&] {
    std::thread slow([&] { notifier.publish(event("t1", "slow")); });
    entered.get_future().wait();
    std::thread other([&] { notifier.publish(event("t1", "other")); });
    std::this_thread::sleep_for(50ms);  // let the other publish reach the delivery lock
    release.set_value();
    slow.join();
    other.join();
  });
  EXPECT_EQ(seen, (std::vector<std::string>{"slow", "caused", "other"}));
}

}  // namespace
}  // namespace opsgraph::engine::detail
