// Conformance: handing out work with leases, their expiry, and fencing of stale holders.
#include <string>

#include "store_conformance.hpp"

namespace opsgraph::store::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST_P(StoreConformance, ClaimTakesTheOldestRunnableTaskFirst) {
  auto idle = new_task("idle");
  idle.runnable = false;
  ASSERT_TRUE(tasks().create(idle));
  clock_.advance(seconds{1});
  create_task("b");
  create_task("a");  // same millisecond as b: the id decides
  clock_.advance(seconds{1});
  create_task("c");

  std::vector<std::string> order;
  // Bounded, so a store that hands out a task twice fails here instead of looping.
  for (int i = 0; i < 10; ++i) {
    auto claimed = tasks().claim("worker-1", seconds{30});
    ASSERT_TRUE(claimed) << claimed.error().message;
    if (!claimed.value())
      break;
    order.push_back(claimed.value()->id);
  }
  EXPECT_EQ(order, (std::vector<std::string>{"a", "b", "c"}));
}

TEST_P(StoreConformance, ClaimGrantsALeaseAndBumpsTheVersion) {
  create_task("t1");
  clock_.advance(seconds{5});
  auto claimed = tasks().claim("worker-1", seconds{30});
  ASSERT_TRUE(claimed) << claimed.error().message;
  ASSERT_TRUE(claimed.value().has_value());
  const auto& record = *claimed.value();
  EXPECT_EQ(record.id, "t1");
  EXPECT_EQ(record.version, 2u);
  EXPECT_EQ(record.updated_at, clock_.now());
  ASSERT_TRUE(record.lease.has_value());
  EXPECT_EQ(record.lease->worker, "worker-1");
  EXPECT_EQ(record.lease->token, 1u);
  EXPECT_EQ(record.lease->expires_at, clock_.now() + seconds{30});
  EXPECT_EQ(tasks().get("t1").value(), record);
  EXPECT_FALSE(tasks().claim("worker-2", seconds{30}).value().has_value());
}

TEST_P(StoreConformance, AnExpiredLeaseMakesTheTaskClaimableAgain) {
  create_task("t1");
  auto first = tasks().claim("worker-1", seconds{30}).value();
  ASSERT_TRUE(first);
  clock_.advance(seconds{30} - milliseconds{1});
  EXPECT_FALSE(tasks().claim("worker-2", seconds{30}).value().has_value());
  clock_.advance(milliseconds{1});
  auto second = tasks().claim("worker-2", seconds{30});
  ASSERT_TRUE(second) << second.error().message;
  ASSERT_TRUE(second.value().has_value());
  EXPECT_EQ(second.value()->lease->worker, "worker-2");
  EXPECT_EQ(second.value()->lease->token, 2u);
  EXPECT_EQ(second.value()->version, 3u);
}

TEST_P(StoreConformance, AStaleHolderIsFencedOff) {
  create_task("t1");
  auto stale = tasks().claim("worker-1", seconds{10}).value().value();
  clock_.advance(seconds{11});
  auto current = tasks().claim("worker-2", seconds{10}).value().value();

  EXPECT_TRUE(fails_with(tasks().renew("t1", stale.lease->token, seconds{10}), errc::conflict));
  EXPECT_TRUE(fails_with(tasks().release("t1", stale.lease->token), errc::conflict));
  auto late_write = stale;
  late_write.status = "completed";
  EXPECT_TRUE(fails_with(tasks().update(late_write, stale.version), errc::conflict));

  clock_.advance(seconds{5});
  auto renewed = tasks().renew("t1", current.lease->token, seconds{10});
  ASSERT_TRUE(renewed) << renewed.error().message;
  EXPECT_EQ(renewed.value().worker, "worker-2");
  EXPECT_EQ(renewed.value().token, current.lease->token);
  EXPECT_EQ(renewed.value().expires_at, clock_.now() + seconds{10});
  EXPECT_EQ(tasks().get("t1").value().lease, renewed.value());

  auto write = current;
  write.status = "completed";
  write.runnable = false;
  auto written = tasks().update(write, current.version);
  ASSERT_TRUE(written) << written.error().message;
  EXPECT_EQ(written.value().lease, renewed.value()) << "an update keeps the lease";
  EXPECT_TRUE(tasks().release("t1", current.lease->token));
  EXPECT_FALSE(tasks().get("t1").value().lease.has_value());
}

TEST_P(StoreConformance, ReleaseMakesARunnableTaskClaimableAndTokensNeverRepeat) {
  create_task("t1");
  auto first = tasks().claim("worker-1", seconds{30}).value().value();
  ASSERT_TRUE(tasks().release("t1", first.lease->token));
  EXPECT_TRUE(fails_with(tasks().release("t1", first.lease->token), errc::conflict));
  EXPECT_TRUE(fails_with(tasks().renew("t1", first.lease->token, seconds{1}), errc::conflict));
  auto second = tasks().claim("worker-2", seconds{30}).value();
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->lease->token, first.lease->token + 1);
  EXPECT_EQ(second->version, 3u) << "release does not change the version";

  auto done = *second;
  done.runnable = false;
  ASSERT_TRUE(tasks().update(done, second->version));
  ASSERT_TRUE(tasks().release("t1", second->lease->token));
  EXPECT_FALSE(tasks().claim("worker-3", seconds{30}).value().has_value());
}

TEST_P(StoreConformance, LeaseErrors) {
  create_task("t1");
  EXPECT_TRUE(fails_with(tasks().claim("", seconds{1}), errc::invalid_argument));
  EXPECT_TRUE(fails_with(tasks().claim("w", milliseconds{0}), errc::invalid_argument));
  EXPECT_TRUE(fails_with(tasks().claim("w", milliseconds{-5}), errc::invalid_argument));
  EXPECT_TRUE(
      fails_with(tasks().claim("w", kMaxLeaseTtl + milliseconds{1}), errc::invalid_argument));
  EXPECT_TRUE(fails_with(tasks().renew("t404", 1, seconds{1}), errc::not_found));
  EXPECT_TRUE(fails_with(tasks().release("t404", 1), errc::not_found));
  EXPECT_TRUE(fails_with(tasks().renew("t1", 1, seconds{1}), errc::conflict)) << "no lease yet";
  EXPECT_TRUE(fails_with(tasks().release("t1", 1), errc::conflict));

  auto held = tasks().claim("w", seconds{5}).value().value();
  EXPECT_TRUE(
      fails_with(tasks().renew("t1", held.lease->token, milliseconds{0}), errc::invalid_argument));
  EXPECT_TRUE(fails_with(tasks().renew("t1", held.lease->token + 1, seconds{5}), errc::conflict));
  clock_.advance(seconds{5});
  EXPECT_TRUE(fails_with(tasks().renew("t1", held.lease->token, seconds{5}), errc::conflict))
      << "an expired lease cannot be renewed";
  EXPECT_TRUE(fails_with(tasks().release("t1", held.lease->token), errc::conflict));
  EXPECT_TRUE(tasks().claim("w", kMaxLeaseTtl).value().has_value());
}

// A worker's checkpoint is written only while its lease holds the task: not after the lease ran
// out, not after another worker claimed the task, not after release.
TEST_P(StoreConformance, ALeasedCheckpointNeedsTheLiveLeaseOfItsTask) {
  create_task("t1");
  auto first = tasks().claim("worker-1", seconds{10}).value().value();
  const auto token = first.lease->token;
  auto step = [](std::uint64_t n) {
    return Checkpoint{"t1", n, "g", "{\"step\":" + std::to_string(n) + "}", {}};
  };
  ASSERT_TRUE(fenced().put_leased(step(1), token));
  EXPECT_TRUE(fails_with(fenced().put_leased(step(1), token), errc::conflict))
      << "a step already written";
  EXPECT_TRUE(fails_with(fenced().put_leased(step(2), token + 1), errc::conflict))
      << "another token";

  clock_.advance(seconds{10});
  EXPECT_TRUE(fails_with(fenced().put_leased(step(2), token), errc::conflict))
      << "an expired lease";
  auto second = tasks().claim("worker-2", seconds{10}).value().value();
  EXPECT_TRUE(fails_with(fenced().put_leased(step(2), token), errc::conflict))
      << "the stale holder after the claim";
  EXPECT_EQ(checkpoints().latest("t1").value()->step, 1u) << "nothing written when refused";

  ASSERT_TRUE(fenced().put_leased(step(2), second.lease->token));
  auto latest = checkpoints().latest("t1").value();
  ASSERT_TRUE(latest.has_value());
  EXPECT_EQ(*latest, (Checkpoint{"t1", 2, "g", "{\"step\":2}", clock_.now()}));
  ASSERT_TRUE(tasks().release("t1", second.lease->token));
  EXPECT_TRUE(fails_with(fenced().put_leased(step(3), second.lease->token), errc::conflict))
      << "a released lease";
  EXPECT_EQ(checkpoints().latest("t1").value()->step, 2u);
}

TEST_P(StoreConformance, LeasedCheckpointErrors) {
  create_task("t1");
  auto held = tasks().claim("worker-1", seconds{10}).value().value();
  EXPECT_TRUE(
      fails_with(fenced().put_leased(Checkpoint{"t404", 1, "g", "{}", {}}, 1), errc::not_found));
  EXPECT_TRUE(fails_with(fenced().put_leased(Checkpoint{"t1", 0, "g", "{}", {}}, held.lease->token),
                         errc::invalid_argument));
  EXPECT_TRUE(fails_with(fenced().put_leased(Checkpoint{"", 1, "g", "{}", {}}, held.lease->token),
                         errc::invalid_argument));
  EXPECT_FALSE(checkpoints().latest("t1").value().has_value());
  create_task("t2");
  EXPECT_TRUE(
      fails_with(fenced().put_leased(Checkpoint{"t2", 1, "g", "{}", {}}, 1), errc::conflict))
      << "a task no lease holds";
}

}  // namespace
}  // namespace opsgraph::store::testing
