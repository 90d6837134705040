// Conformance: the same operations raced from several threads.
#include <algorithm>
#include <atomic>
#include <charconv>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "store_conformance.hpp"

namespace opsgraph::store::testing {
namespace {

using std::chrono::seconds;

constexpr int kThreads = 4;

int parse_int(const std::string& text) {
  int value = -1;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

// Every thread increments a counter kept in the body with read / compare-and-swap / retry: a
// lost update or two winners on one version would show in the final count or the win list.
TEST_P(StoreConformance, CompareAndSwapHasExactlyOneWinnerPerVersion) {
  auto task = new_task("counter");
  task.body = "0";
  ASSERT_TRUE(tasks().create(task));
  constexpr int kIncrementsPerThread = 40;

  std::mutex mutex;
  std::vector<std::uint64_t> won_versions;
  std::atomic<int> conflicts{0};
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int done = 0; done < kIncrementsPerThread;) {
        auto current = tasks().get("counter");
        if (!current) {
          ++errors;
          return;
        }
        auto next = current.value();
        next.body = std::to_string(parse_int(next.body) + 1);
        auto updated = tasks().update(next, current.value().version);
        if (updated) {
          std::lock_guard lock(mutex);
          won_versions.push_back(current.value().version);
          ++done;
        } else if (updated.error().code == errc::conflict) {
          ++conflicts;
        } else {
          ++errors;
          return;
        }
      }
    });
  }
  for (auto& thread : threads)
    thread.join();

  ASSERT_EQ(errors.load(), 0);
  constexpr int kTotal = kThreads * kIncrementsPerThread;
  auto final_record = tasks().get("counter").value();
  EXPECT_EQ(final_record.body, std::to_string(kTotal));
  EXPECT_EQ(final_record.version, std::uint64_t{kTotal} + 1);
  std::sort(won_versions.begin(), won_versions.end());
  std::vector<std::uint64_t> every_version;
  for (std::uint64_t v = 1; v <= kTotal; ++v)
    every_version.push_back(v);
  EXPECT_EQ(won_versions, every_version);
  RecordProperty("conflicts", conflicts.load());
}

TEST_P(StoreConformance, ConcurrentCreatesWithOneIdempotencyKeyMakeOneTask) {
  constexpr int kCreators = 8;
  std::vector<std::optional<Created>> results(kCreators);
  std::vector<std::thread> threads;
  for (int t = 0; t < kCreators; ++t) {
    threads.emplace_back([&, t] {
      auto record = new_task("task-" + std::to_string(t));
      record.idempotency_key = "the-one-request";
      auto created = tasks().create(record);
      if (created)
        results[t] = created.value();
    });
  }
  for (auto& thread : threads)
    thread.join();

  int created = 0;
  std::set<std::string> ids;
  for (const auto& r : results) {
    ASSERT_TRUE(r.has_value());
    created += r->created ? 1 : 0;
    ids.insert(r->record.id);
  }
  EXPECT_EQ(created, 1);
  EXPECT_EQ(ids.size(), 1u);
  auto listed = tasks().list(ListQuery{}).value().tasks;
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].id, *ids.begin());
}

TEST_P(StoreConformance, ConcurrentAppendsGetGaplessSequenceNumbers) {
  create_task("t1");
  constexpr int kPerThread = 50;
  std::vector<std::vector<std::uint64_t>> seen(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        auto event = tasks().append_event("t1", "tick", std::to_string(t * 1000 + i));
        if (!event)
          return;
        seen[t].push_back(event.value().seq);
      }
    });
  }
  for (auto& thread : threads)
    thread.join();

  std::vector<std::uint64_t> all;
  for (const auto& per_thread : seen) {
    ASSERT_EQ(per_thread.size(), std::size_t{kPerThread});
    EXPECT_TRUE(std::is_sorted(per_thread.begin(), per_thread.end()));
    all.insert(all.end(), per_thread.begin(), per_thread.end());
  }
  std::sort(all.begin(), all.end());
  auto log = tasks().events("t1", 0, kMaxEventPage).value();
  ASSERT_EQ(log.size(), all.size());
  for (std::size_t i = 0; i < log.size(); ++i) {
    EXPECT_EQ(all[i], i + 1);
    EXPECT_EQ(log[i].seq, i + 1);
  }
  // Each thread's events appear in the order it appended them.
  std::map<int, int> last_per_thread;
  for (const auto& event : log) {
    int value = parse_int(event.data);
    int thread = value / 1000;
    auto [it, fresh] = last_per_thread.emplace(thread, value);
    if (!fresh) {
      EXPECT_GT(value, it->second);
      it->second = value;
    }
  }
}

TEST_P(StoreConformance, ConcurrentClaimsNeverHandOutOneTaskTwice) {
  constexpr int kTasks = 40;
  for (int i = 0; i < kTasks; ++i)
    create_task("task-" + std::to_string(i));
  std::mutex mutex;
  std::multiset<std::string> claimed;
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i <= kTasks; ++i) {
        auto got = tasks().claim("worker-" + std::to_string(t), seconds{60});
        if (!got) {
          ++errors;
          return;
        }
        if (!got.value())
          return;
        std::lock_guard lock(mutex);
        claimed.insert(got.value()->id);
      }
    });
  }
  for (auto& thread : threads)
    thread.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(claimed.size(), std::size_t{kTasks});
  EXPECT_EQ(std::set<std::string>(claimed.begin(), claimed.end()).size(), std::size_t{kTasks});
}

}  // namespace
}  // namespace opsgraph::store::testing
